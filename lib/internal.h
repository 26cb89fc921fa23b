/* Private helpers shared by the files of libbantin (not installed). */
#ifndef BT_INTERNAL_H
#define BT_INTERNAL_H

#include "bantin.h"

#define BT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Grows *items (of *cap elements of size elem) to hold at least need
 * elements; returns -1 when out of memory (the array is left as it was). */
int bt_grow_array(void **items, size_t *cap, size_t need, size_t elem);

/* Decodes one UTF-8 sequence at s[0..len); returns its length (1–4) and
 * stores the code point, or returns 0 for an invalid sequence. */
size_t bt_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Encodes cp as UTF-8 into out (4 bytes); returns the length. */
size_t bt_utf8_encode(uint32_t cp, char out[4]);
/* 1 when the code point may appear in an XML 1.0 document. */
int bt_xml_char_ok(uint32_t cp);

/* Frees what a block holds (model.c), for code that drops blocks. */
void bt_block_free(bt_block *b);

/* The precomposed letters Vietnamese writes with (vntext.c), the one table
 * of them: *base gets the ASCII base letter in the letter's case, *tone 1
 * when it carries a tone mark; 0 for any other code point. */
int bt_vn_letter(int32_t cp, char *base, int *tone);

/* ---- page rules shared by the text and HTML extractors (pagerules.c) ----
 * Each takes one line or block of text with white space collapsed. */
uint32_t bt_first_cp(const char *s, size_t len); /* 0 when invalid */
int bt_cp_is_upper(uint32_t cp);
int bt_cp_is_lower(uint32_t cp);
size_t bt_count_words(const char *s, size_t len);
/* The text ends with sentence punctuation (. ! ? : ; … quotes, brackets). */
int bt_ends_sentence(const char *s, size_t len);
/* Lower-case, diacritic-free form of a short text into out ("" if long). */
void bt_fold_short(const char *s, size_t len, char *out, size_t outsz);
/* "Tin liên quan", "Các tin tức khác", "Xem thêm:" … */
int bt_rule_related_heading(const char *s, size_t len);
/* Share bars, tags, "Bình luận (0)", "In bài", "Quay lại" … */
int bt_rule_furniture(const char *s, size_t len);
/* "Trang chủ > Tin tức > Thời sự" */
int bt_rule_breadcrumb(const char *s, size_t len);
/* "Nguồn: …": sets *name to the source's name inside s. */
int bt_rule_source_line(const char *s, size_t len, const char **name);
/* A short line that reads as a name or an office ("Minh Khôi", "PV",
 * "Nguyễn Văn A - TTXVN", "Theo Reuters"). */
int bt_rule_byline(const char *s, size_t len);
/* A short, title-like line (a subheading between paragraphs). */
int bt_rule_subheading(const char *s, size_t len);

#endif
