/*
 * Text for comparison: normalisation (case folding and accent stripping
 * for Latin scripts, punctuation to spaces, whitespace collapsed), word
 * sets (stop words, marker words), string metrics (Jaro, Jaro-Winkler,
 * Levenshtein) and a 64-bit hash.  Everything works on UTF-8 bytes and
 * allocates only where a function says so.
 */
#ifndef ETL_TEXT_H
#define ETL_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strbuf.h"

/*
 * Append the folded form of s[0..len) to out:
 *  - ASCII letters lower-cased; Latin-1 Supplement and Latin Extended-A
 *    letters (U+00C0..U+017F) to their ASCII base ("É" "e", "ß" "ss",
 *    "Æ" "ae", "Ł" "l"); combining marks (U+0300..U+036F) dropped;
 *  - apostrophes (' U+2018 U+2019) dropped, so "O'Brien" is "obrien";
 *    "." between two digits kept ("3.5"), "," between digits dropped
 *    ("1,000" is "1000");
 *  - any other ASCII character that is not a letter or digit, Latin-1
 *    punctuation and symbols (U+00A0..U+00BF, U+00D7, U+00F7), General
 *    Punctuation (U+2000..U+206F) and bytes that are not valid UTF-8
 *    become a space;
 *  - other characters (Greek, Cyrillic, CJK, ...) are kept as they are;
 *  - runs of spaces become one, none at either end.
 * So the result is words separated by single spaces.  0, or -1 when out
 * of memory.
 */
int etl_text_fold(struct etl_buf *out, const char *s, size_t len);

/*
 * The next word of folded text s[0..len) from *pos: 1 with *word and
 * *wlen set and *pos moved past it, 0 when there is none.
 */
int etl_text_word(const char *s, size_t len, size_t *pos, const char **word,
    size_t *wlen);

/* Whether w[0..len) holds an ASCII digit. */
int etl_text_has_digit(const char *w, size_t len);

/* A 64-bit hash of p[0..len) (FNV-1a folded with a final mix). */
uint64_t etl_text_hash(const void *p, size_t len, uint64_t seed);

/*
 * A set of folded words (stop words, marker words).  _new gives an empty
 * set (NULL when out of memory); _free accepts NULL.  Words added by one
 * call of etl_wordset_add (one line of a file, one string of a list) form
 * a class, numbered from 0: words of a class stand for one another (the
 * marker words "vip", "package" and "upgrade" name one kind of product).
 */
struct etl_wordset;

struct etl_wordset *etl_wordset_new(void);
void etl_wordset_free(struct etl_wordset *ws);

/*
 * Fold text and add each of its words as a new class (a word already in
 * the set keeps its class); 0, or -1 when out of memory.
 */
int etl_wordset_add(struct etl_wordset *ws, const char *text);

/* Add every word of a NULL-terminated list. */
int etl_wordset_add_list(struct etl_wordset *ws, const char *const *words);

/*
 * Add the words of a file: one or more a line, blank lines and lines
 * starting with '#' skipped.  -ETL_ENOINPUT when missing, -ETL_EIO.
 */
int etl_wordset_load(struct etl_wordset *ws, const char *path,
    struct etl_error *err);

/* Whether the folded word w[0..len) is in the set (NULL set: no). */
int etl_wordset_has(const struct etl_wordset *ws, const char *w, size_t len);
size_t etl_wordset_size(const struct etl_wordset *ws);

/* The class of a word, or -1 when it is not in the set. */
int etl_wordset_class(const struct etl_wordset *ws, const char *w,
    size_t len);

/*
 * Jaro similarity of two byte strings, in [0, 1]: with m matching bytes
 * (equal and at most max(|a|,|b|)/2 - 1 apart) and t half the number of
 * matches out of order, (m/|a| + m/|b| + (m - t)/m) / 3, 0 when m = 0;
 * two empty strings are 1.
 */
double etl_jaro(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Jaro-Winkler: j + l * 0.1 * (1 - j), l the length of the common prefix
 * up to 4 (the boost applies whatever j is).
 */
double etl_jaro_winkler(const char *a, size_t alen, const char *b,
    size_t blen);

/*
 * Levenshtein distance in bytes (insertions, deletions, substitutions),
 * or (size_t)-1 when out of memory.
 */
size_t etl_levenshtein(const char *a, size_t alen, const char *b,
    size_t blen);

#endif
