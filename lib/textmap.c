#include "strbuf.h"
#include "text.h"
#include "textmap.h"

struct slot {
	uint64_t hash;
	uint64_t off;		/* key in keys, 0 when the slot is empty */
	uint64_t value;
	size_t len;
};

struct etl_textmap {
	struct slot *slots;
	size_t cap, n;
	struct etl_buf keys;	/* a byte first, so that offset 0 is free */
};

struct etl_textmap *
etl_textmap_new(void)
{
	struct etl_textmap *tm = calloc(1, sizeof(*tm));

	if (tm == NULL)
		return NULL;
	tm->cap = 64;
	tm->slots = calloc(tm->cap, sizeof(*tm->slots));
	etl_buf_init(&tm->keys);
	if (tm->slots == NULL || etl_buf_putc(&tm->keys, '\0') < 0) {
		etl_textmap_free(tm);
		return NULL;
	}
	return tm;
}

void
etl_textmap_free(struct etl_textmap *tm)
{
	if (tm == NULL)
		return;
	free(tm->slots);
	etl_buf_release(&tm->keys);
	free(tm);
}

static size_t
find(const struct etl_textmap *tm, const void *k, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (tm->cap - 1);

	for (;;) {
		const struct slot *s = &tm->slots[i];

		if (s->off == 0 || (s->hash == h && s->len == len &&
		    memcmp(tm->keys.data + s->off, k, len) == 0))
			return i;
		i = (i + 1) & (tm->cap - 1);
	}
}

static int
rehash(struct etl_textmap *tm)
{
	size_t cap = tm->cap * 2;
	struct slot *old = tm->slots, *slots = calloc(cap, sizeof(*slots));

	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < tm->cap; i++) {
		size_t j;

		if (old[i].off == 0)
			continue;
		j = (size_t)old[i].hash & (cap - 1);
		while (slots[j].off != 0)
			j = (j + 1) & (cap - 1);
		slots[j] = old[i];
	}
	free(old);
	tm->slots = slots;
	tm->cap = cap;
	return 0;
}

uint64_t *
etl_textmap_put(struct etl_textmap *tm, const void *k, size_t len,
    uint64_t init, int *added)
{
	uint64_t h = etl_text_hash(k, len, 0x5eed);
	struct slot *s;
	size_t i;

	if (added != NULL)
		*added = 0;
	if ((tm->n + 1) * 4 > tm->cap * 3 && rehash(tm) < 0)
		return NULL;
	i = find(tm, k, len, h);
	s = &tm->slots[i];
	if (s->off != 0)
		return &s->value;
	if (etl_buf_append(&tm->keys, k, len) < 0)
		return NULL;
	s->off = tm->keys.len - len;
	s->hash = h;
	s->len = len;
	s->value = init;
	tm->n++;
	if (added != NULL)
		*added = 1;
	return &s->value;
}

uint64_t *
etl_textmap_get(const struct etl_textmap *tm, const void *k, size_t len)
{
	size_t i = find(tm, k, len, etl_text_hash(k, len, 0x5eed));

	return tm->slots[i].off != 0 ? &tm->slots[i].value : NULL;
}

size_t
etl_textmap_count(const struct etl_textmap *tm)
{
	return tm->n;
}
