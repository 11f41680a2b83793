// SPDX-License-Identifier: GPL-2.0
/*
 * Counting distinct keys in bounded memory.
 *
 * The remotes table stops adding rows at max_remotes, yet the summary must
 * say how many destinations were folded into its "other" row. Remembering
 * each folded destination would make memory grow with the number of
 * connections again, so: remember 64-bit hashes of the first
 * TWSTAT_DISTINCT_EXACT keys exactly (64 KiB, allocated on first use), and
 * feed every key to a HyperLogLog sketch (1 KiB, standard error
 * 1.04 / sqrt(1024) = 3.3 %) whose estimate is used once the exact set is
 * full. Below 2.5 * 1024 keys HLL's raw estimate is biased; the exact set
 * covers that range, which is why it holds 4096 > 2560 keys.
 */
#include <linux/bitops.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "twstat.h"

/* Twice the keys it holds: linear probing stays short at load <= 0.5. */
#define TWSTAT_SET_SLOTS	(2 * TWSTAT_DISTINCT_EXACT)
#define TWSTAT_HLL_REGS		BIT(TWSTAT_HLL_BITS)
/* Fixed point for sum(2^-reg): ranks above this add < 2^-50 and are lost. */
#define TWSTAT_HLL_FRAC_BITS	50
/* alpha_m * m^2 for m = 1024, alpha_m = 0.7213 / (1 + 1.079 / m). */
#define TWSTAT_HLL_ALPHA_MM	755547ULL

void twstat_distinct_init(struct twstat_distinct *d)
{
	memset(d, 0, sizeof(*d));
	get_random_bytes(&d->key, sizeof(d->key));
}

static void twstat_hll_add(struct twstat_distinct *d, u64 h)
{
	u32 reg = h >> (64 - TWSTAT_HLL_BITS);
	/* the sentinel bit bounds the rank at 64 - TWSTAT_HLL_BITS + 1 */
	u64 rest = (h << TWSTAT_HLL_BITS) | BIT_ULL(TWSTAT_HLL_BITS - 1);
	u8 rank = 64 - fls64(rest) + 1;

	if (rank > d->regs[reg])
		d->regs[reg] = rank;
}

/*
 * The slot holding @h, or the free slot where it belongs. The set never
 * holds more than half its slots, so a free slot is always found.
 */
static u64 *twstat_set_slot(struct twstat_distinct *d, u64 h)
{
	u32 i = h & (TWSTAT_SET_SLOTS - 1);

	while (d->set[i] && d->set[i] != h)
		i = (i + 1) & (TWSTAT_SET_SLOTS - 1);
	return &d->set[i];
}

int twstat_distinct_add(struct twstat_distinct *d, const void *key,
			size_t len)
{
	u64 h = siphash(key, len, &d->key);
	u64 *slot;

	twstat_hll_add(d, h);
	if (d->estimated)
		return 0;
	if (!d->set) {
		d->set = kvcalloc(TWSTAT_SET_SLOTS, sizeof(*d->set),
				  GFP_KERNEL_ACCOUNT);
		if (!d->set)
			return -ENOMEM;
	}
	h = h ?: 1;			/* 0 marks a free slot */
	slot = twstat_set_slot(d, h);
	if (*slot)
		return 0;
	if (d->nset == TWSTAT_DISTINCT_EXACT) {
		d->estimated = true;	/* a new key and no room: estimate */
		return 0;
	}
	*slot = h;
	d->nset++;
	return 0;
}

static u64 twstat_hll_estimate(const struct twstat_distinct *d)
{
	u64 sum = 0;
	u32 i;

	for (i = 0; i < TWSTAT_HLL_REGS; i++)
		if (d->regs[i] <= TWSTAT_HLL_FRAC_BITS)
			sum += BIT_ULL(TWSTAT_HLL_FRAC_BITS - d->regs[i]);
	/* alpha m^2 / (sum / 2^50), split so that nothing overflows */
	sum >>= 10;
	return sum ? div64_u64(TWSTAT_HLL_ALPHA_MM << 40, sum) : U64_MAX;
}

u64 twstat_distinct_count(const struct twstat_distinct *d)
{
	return d->estimated ? twstat_hll_estimate(d) : d->nset;
}

void twstat_distinct_free(struct twstat_distinct *d)
{
	kvfree(d->set);
	d->set = NULL;
}
