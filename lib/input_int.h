/* Private to the input layer (input*.c): the byte stream, the formats'
 * table and what the dispatcher hands each format reader. */
#ifndef BT_INPUT_INT_H
#define BT_INPUT_INT_H

#include "internal.h"

#include <zlib.h>

enum {
    BT_SRC_CHUNK = 1 << 16,
    BT_SNIFF = 4096,       /* bytes a format's bid may look at */
    BT_MAX_DEPTH = 3,      /* containers (archives, gzip) inside one another */
    BT_MAX_MEMBER = 256 << 20, /* an archive that must be held in memory */
};

/* ------------------------------------------------------------------ */
/* The byte stream (input_src.c): depends on nothing else of the layer */
/* ------------------------------------------------------------------ */

/* What an archive may unpack: bytes delivered by the streams charged to
 * it, against ratio × its own size (or, when that is not known, × the
 * compressed bytes read so far) and an absolute cap.  Budgets nest: a
 * member's bytes are charged to every enclosing archive too. */
typedef struct bt_budget {
    struct bt_budget *up;
    const char *name;          /* the archive, for the message */
    unsigned long long size;   /* its own size; 0: unknown */
    const unsigned long long *raw; /* when size is 0: bytes read of it so far */
    unsigned long long used, cap;
    unsigned ratio;
    int over;                  /* 1 once a charge went past the limit */
} bt_budget;

/* Charges n bytes to b and every budget above it; -1 (and over set on
 * the one that overflowed) when one of them is exceeded. */
int bt_budget_charge(bt_budget *b, unsigned long long n);
/* The budget in b's chain that is exceeded, or NULL. */
const bt_budget *bt_budget_over(const bt_budget *b);
/* "NAME: unpacks to more than … ; the rest is skipped" into err. */
void bt_budget_error(const bt_budget *b, bt_error *err);

typedef long (*bt_src_fn)(void *ctx, void *buf, size_t n, const char **why);

enum {
    BT_SRC_INFLATE = 1u << 0, /* the bytes are compressed: gzip (every
                                 member in turn), zlib or raw deflate */
    BT_SRC_LENIENT = 1u << 1, /* a cut-off compressed stream ends quietly
                                 (truncated set) instead of failing */
};

/* A byte stream: a file descriptor, memory, a function, or another
 * stream, optionally inflated; bytes can be peeked and given back. */
typedef struct bt_src {
    int fd;                         /* >= 0: read(2) from it */
    const unsigned char *mem;
    size_t memlen, mempos;
    bt_src_fn fn;
    void *fn_ctx;
    struct bt_src *up;              /* a filter over another stream */
    unsigned flags;
    int zinit, zend, zmode, raw_eof;
    z_stream zs;
    unsigned char *zin;             /* BT_SRC_CHUNK bytes when inflating */
    unsigned char *back;            /* peeked or given back: read first */
    size_t backlen, backpos, backcap;
    const char *error;              /* why reading failed, or NULL */
    bt_code code;                   /* its kind (BT_ERR_IO, _INPUT, _LIMIT) */
    int truncated;                  /* LENIENT: the compressed data was cut */
    unsigned long long out;         /* bytes delivered so far */
    unsigned long long raw;         /* bytes taken from below so far */
    bt_budget *budget;              /* what delivered bytes are charged to */
    unsigned long long size;        /* fd's size when it is a regular file, else 0 */
    int fd_eof;                     /* a regular file's read(2) said its end */
} bt_src;

void bt_src_fd(bt_src *s, int fd);
void bt_src_mem(bt_src *s, const void *data, size_t len);
void bt_src_func(bt_src *s, bt_src_fn fn, void *ctx);
/* A stream over up (which must outlive it), with flags.  -1: OOM. */
int bt_src_filter(bt_src *s, bt_src *up, unsigned flags);
/* Reads up to n bytes: > 0 read, 0 at the end, -1 on error (s->error). */
long bt_src_read(bt_src *s, void *buf, size_t n);
/* Makes the next min(n, what is left) bytes visible without consuming
 * them: *p points at them (valid until the next call); returns how many,
 * or -1 on error. */
long bt_src_peek(bt_src *s, size_t n, const unsigned char **p);
/* Gives bytes back: the next reads return them first.  -1: OOM. */
int bt_src_unread(bt_src *s, const void *data, size_t len);
/* The rest of the stream, at most max bytes: *p points at it, into the
 * stream's memory when it is a plain memory stream, else into out.
 * -1 with err ("NAME: larger than N MB", or the read error). */
int bt_src_rest(bt_src *s, size_t max, const char *name, bt_buf *out,
                const char **p, size_t *len, bt_error *err);
/* Sets err from a failed read of s, naming it. */
void bt_src_error(const bt_src *s, const char *name, bt_error *err);
void bt_src_free(bt_src *s);

/* ------------------------------------------------------------------ */
/* Items, formats, the dispatcher (input.c)                            */
/* ------------------------------------------------------------------ */

/* One input being read: a file, an archive member, a web-archive record,
 * the HTML part of an MHTML file, a gunzipped stream. */
typedef struct bt_item {
    const char *name;      /* what messages call it: "a.zip:dir/page.html" */
    const char *file;      /* source/@file; NULL: name */
    const char *url;       /* the page's address when known, or NULL */
    const char *charset;   /* declared by the container (HTTP, MIME), or NULL */
    const char *path;      /* the file on disk when the item is one, else NULL */
    unsigned long long size; /* its size when known, else 0 */
    bt_src *src;           /* its bytes */
    const unsigned char *head; /* its first bytes (peeked, still to read) */
    size_t headlen;
    int depth;             /* containers above it */
    int in_archive;        /* a member of an archive: its failures are
                              reported and the archive goes on */
    int listed;            /* found by a directory walk (skip non-pages) */
    bt_budget *budget;     /* of the innermost archive, or NULL */
    struct bt_imgsrc *images; /* where its figures' images are looked for
                              (the innermost container, or the folder of
                              the file), or NULL */
} bt_item;

typedef struct bt_input_ctx bt_input_ctx;
/* An image problem with the key of its address (input_images.c), for a
 * caller that reports each address once in its own order (bt_batch). */
typedef void (*bt_image_problem_fn)(const unsigned char key[16], const char *msg, void *ctx);
struct bt_input_ctx {
    const bt_extract_opts *opts;
    bt_article_fn on_article;
    bt_problem_fn on_problem;
    void *ctx;
    size_t max_page;
    /* A format reader hands each member here (the dispatcher): 0, -1 with
     * err, or the stop value of on_article. */
    int (*member)(bt_input_ctx *c, bt_item *member, bt_error *err);
    /* NULL: image problems are de-duplicated by opts->images and go to
     * on_problem at once. */
    bt_image_problem_fn on_image;
};

/* bt_extract_file with image problems handed to on_image (bt_batch). */
int bt_extract_file_keyed(const char *path, size_t max_page, const bt_extract_opts *opts,
                          bt_article_fn on_article, bt_problem_fn on_problem,
                          bt_image_problem_fn on_image, void *ctx, bt_error *err);

/* One input format, asked in turn (libarchive's format descriptors): bid
 * looks at the item's name and first bytes and returns how sure it is
 * (0: not this format; the highest bid wins), read reads the whole item:
 * 0, -1 with err (the dispatcher then reports it inside an archive and
 * fails at top level), or the stop value of on_article. */
typedef struct bt_format {
    const char *name;
    bt_input_kind kind;
    int (*bid)(const bt_item *it);
    int (*read)(bt_input_ctx *c, bt_item *it, bt_error *err);
    int container; /* holds other inputs: counts toward the nesting limit */
} bt_format;

extern const bt_format bt_format_zip, bt_format_gzip, bt_format_warc, bt_format_arc,
    bt_format_mhtml, bt_format_articles, bt_format_html, bt_format_text, bt_format_other;

/* Reports a problem (kind BT_PROBLEM_*). */
void bt_input_problem(const bt_input_ctx *c, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A member item of parent: name, depth and budget set up from it. */
void bt_item_member(bt_item *m, const bt_item *parent, const char *name, bt_src *src);
/* Hands an article to the caller, with the item's file and url. */
int bt_input_article(bt_input_ctx *c, const bt_item *it, bt_article *a, bt_error *err);
/* 1 when an archive around the item has used up its budget (its reader
 * reports that once; the readers inside it stop quietly). */
int bt_item_stopped(const bt_item *it);
/* Sets up a budget for archive item it (from the options). */
void bt_item_budget(bt_budget *b, const bt_item *it, const bt_input_ctx *c);
/* The budget of an archive reader: reported once as a failure when it is
 * exceeded; returns 1 then. */
int bt_budget_report(const bt_input_ctx *c, const bt_budget *b);

/* ---- images of the articles (input_images.c, input_imgpath.c, input_webimg.c) ---- */

/* What a container knows about one image (a cache entry, or an entry of
 * a web archive's index), keyed by 16 bytes of a SHA-256. */
enum { BT_IMG_NEW = 1, BT_IMG_SPOOLED, BT_IMG_STORED, BT_IMG_REFUSED };
enum { BT_IMG_NOT_IMAGE = 1, BT_IMG_TOO_LARGE, BT_IMG_TOO_MANY_PIXELS, BT_IMG_CUT };
typedef struct bt_imgent {
    unsigned char key[16];
    unsigned char state;      /* 0: a free slot; BT_IMG_* */
    unsigned char reason;     /* REFUSED: BT_IMG_NOT_IMAGE, … */
    unsigned char in_input;   /* SPOOLED: off is in the archive's file */
    bt_image_info info;       /* STORED, TOO_MANY_PIXELS */
    const char *why;          /* NOT_IMAGE: what the bytes are not */
    union {                   /* (72 bytes in all: a web archive keeps one
                                 per image record) */
        unsigned char digest[32]; /* STORED: the SHA-256 of the bytes */
        struct {
            unsigned long long off, len; /* SPOOLED: where the bytes are */
        } at;
    } u;
} bt_imgent;

typedef struct bt_imgmap {
    bt_imgent *slots;
    size_t cap, n;
} bt_imgmap;
/* The entry of key; with add, a new one (state BT_IMG_NEW) when there is
 * none.  NULL: absent, or out of memory when adding.  Adding moves the
 * entries: a pointer is good until the next add. */
bt_imgent *bt_imgmap_get(bt_imgmap *m, const unsigned char key[16], int add);
void bt_imgmap_free(bt_imgmap *m);

void bt_sha256(const void *data, size_t len, unsigned char out[32]);
/* key = the first 16 bytes of the SHA-256 of the n bytes at s */
void bt_img_key(const void *s, size_t n, unsigned char key[16]);
/* The length of s's scheme ("http", "data"; two letters at least, so
 * that "C:" is none), or 0. */
size_t bt_url_scheme(const char *s);
/* A URL as web archives and pages both write it (no fragment, scheme and
 * host in lower case, no default port, escapes of unreserved or
 * non-ASCII bytes undone): the key of what it addresses. */
int bt_url_key(const char *url, unsigned char key[16]);

/* One look for an image in a container. */
typedef struct bt_imglook {
    bt_buf *bytes;      /* the image's bytes when found: at most max + 1 */
    size_t max;
    bt_imgent *ent;     /* the container's entry for it: filled by the
                           caller after a 1, already known after a 2 */
    const char *why;    /* after a 0: why it is not there */
    char whybuf[160];   /* room for a why that is not a constant */
} bt_imglook;

/* A container that holds images (a zip, a web archive, an MHTML file, the
 * folder of a page file).  find looks for the image of a figure whose
 * src is as the page has it (made absolute against base, the page's URL,
 * when it had one; local: an article file's src, any local path): 1 the
 * bytes are in lk->bytes, 2 lk->ent says what is known, 0 not there, -1
 * error (err). */
typedef struct bt_imgsrc {
    int (*find)(struct bt_imgsrc *s, bt_input_ctx *c, const char *src, const char *base,
                int local, bt_imglook *lk, bt_error *err);
    void *ctx;
    const char *dir;    /* the folder of a page file */
    int hold;           /* a web archive being read: its articles wait */
} bt_imgsrc;

/* The folder of a page file (path's directory) as an image container. */
void bt_imgsrc_dir(bt_imgsrc *s, const char *dir);
/* The bytes of a data: URI (base64 or percent-encoded) into lk->bytes:
 * 1, 0 with lk->why when it is broken, -1 out of memory. */
int bt_img_data_uri(const char *src, bt_imglook *lk);
/* Resolves every figure of a (see bt_images_open); local: a is read from
 * an article file.  0 or -1 (err). */
int bt_images_article(bt_input_ctx *c, const bt_item *it, bt_article *a, int local, bt_error *err);
/* 1 the first time key is seen by im (or when out of memory), else 0. */
int bt_images_first(bt_images *im, const unsigned char key[16]);
size_t bt_images_max_bytes(const bt_images *im);
uint64_t bt_images_max_pixels(const bt_images *im);
/* Reads at most lk->max + 1 bytes from a file descriptor into lk->bytes.
 * 0, or -1 with why (an I/O error's strerror) in lk. */
int bt_img_read_fd(int fd, bt_imglook *lk);
/* Hands an article to the caller (on_article; an error names name). */
int bt_input_hand(bt_input_ctx *c, const char *name, bt_article *a, bt_error *err);
/* The candidates for an image inside a tree of files (zip members, a
 * page's folder): fn is called with each path, until it returns non-zero
 * (that is returned; -1 also when out of memory).  The tree's paths
 * start with root ("" for a zip); dir is the page's folder in it; src's
 * path relative to base's (or src itself when it is a relative path) is
 * tried from dir, and with urlpath also the path of src's URL (host/path
 * and path) under dir and each folder above it.  A path that would leave
 * the tree is not tried; each is tried as written and with its escapes
 * undone, with and without its query.  *left (may be NULL): 1 when
 * some path would have left the tree. */
int bt_img_candidates(const char *src, const char *base, const char *root, const char *dir,
                      int urlpath, int (*fn)(void *ctx, const char *path), void *ctx, int *left);

struct bt_lines;

/* A web archive's images (WARC, ARC): the image records are indexed as
 * they stream past (their bytes in a temporary spool), the articles are
 * held (spooled too) and handed on at the archive's end, their figures
 * found in the index whichever record came first. */
typedef struct bt_webimg {
    bt_imgsrc src;
    bt_imgmap index;             /* URL key → an image in the spool, or why not */
    FILE *spool;                 /* the images' bytes */
    int input_fd;                /* >= 0: the archive is this plain file, and
                                    an image sent as it is is read back from
                                    it instead of being spooled */
    unsigned long long spooled;
    FILE *held, *names;          /* the held articles, their pages' names */
    bt_writer *writer;           /* into held */
    size_t nheld;
    int broken;                  /* holding failed: the error, again */
    bt_error error;
} bt_webimg;
/* Off (src.find NULL) unless c's options have images; it: the archive. */
void bt_webimg_init(bt_webimg *w, const bt_input_ctx *c, const bt_item *it);
/* Where the next byte r gives is in the archive's file, or -1. */
long long bt_webimg_at(const bt_webimg *w, const struct bt_lines *r);
/* A record's body that is not a page: indexed under url when it is an
 * image (claims: its media type says it is; cut: the archive cut it; at:
 * where the body is in the archive's file, or -1). */
int bt_webimg_record(bt_webimg *w, bt_input_ctx *c, const char *url, const char *body,
                     size_t len, int claims, int cut, long long at, bt_error *err);
/* A revisit record: url is the same image as the earlier record of
 * target. */
int bt_webimg_alias(bt_webimg *w, const char *url, const char *target, bt_error *err);
/* Holds an article of the archive (from bt_input_article). */
int bt_webimg_hold(bt_imgsrc *s, bt_input_ctx *c, const bt_item *it, const bt_article *a,
                   bt_error *err);
/* The held articles, their figures resolved, handed on in order. */
int bt_webimg_flush(bt_webimg *w, bt_input_ctx *c, bt_error *err);
void bt_webimg_free(bt_webimg *w);

/* ---- helpers the readers share ---- */

/* 1 when name ends with one of the extensions (".html", …). */
int bt_name_has_ext(const char *name, const char *const *exts);
/* The value of "Key: value" when line starts with key (case-insensitive). */
const char *bt_header_value(const char *line, size_t len, const char *key, size_t *vlen);
/* The charset parameter of a Content-Type value into out ("" when none). */
void bt_content_type_charset(const char *v, size_t len, char *out, size_t outsz);

/* Lines and counted blocks from a stream (input_lines.c), for the
 * record-based web archives. */
typedef struct bt_lines {
    bt_src *src;
    unsigned char *buf; /* BT_SRC_CHUNK bytes */
    size_t pos, len;
    int eof;
} bt_lines;
/* One line without its CR LF into out; 1: a line, 0: the end, -1: error
 * or a line longer than 64 KB. */
int bt_lines_get(bt_lines *r, bt_buf *out);
/* Reads n bytes into out (NULL: drops them); returns the bytes got, *err
 * 1 on a read error, 2 when out of memory. */
unsigned long long bt_lines_take(bt_lines *r, unsigned long long n, bt_buf *out, int *err);

/* A record-based web archive (WARC, ARC) as its reader streams it
 * (input_webarc.c): self is the archive with its budget and, with
 * --images, its image index (w) for the pages it hands on; line and
 * block hold the record being read, max_block the most of a block worth
 * keeping (a page, or an image), at where the block is in the archive's
 * file (or -1). */
typedef struct bt_webarc {
    bt_input_ctx *c;
    const bt_item *it;
    bt_item self;
    bt_budget budget;
    bt_webimg w;
    bt_lines r;
    bt_buf line, block;
    unsigned long long max_block;
    long long at;
} bt_webarc;
/* 0, or -1 with err (nothing to close then). */
int bt_webarc_open(bt_webarc *a, bt_input_ctx *c, const bt_item *it, bt_error *err);
/* The next record's first line into a->line, past blank lines: 1, 0 at
 * the end (or when the budget stopped the archive), -1 on a read error
 * or a line too long. */
int bt_webarc_next(bt_webarc *a);
/* The record's block of length bytes into a->block (keep), or past it:
 * 1 when it is all there, 0 when the archive ends first (told as "NAME:
 * record N (WHAT): truncated KIND record", unless the budget stopped it),
 * -1 when out of memory. */
int bt_webarc_block(bt_webarc *a, long long length, int keep, const char *kind,
                    size_t record, const char *what, bt_error *err);
/* When rc is 0, hands on the held articles; frees a, tells a budget
 * overrun; returns rc or the handing's error. */
int bt_webarc_close(bt_webarc *a, int rc, bt_error *err);

/* The HTTP response inside a web-archive record (input_http.c): its
 * status, the page's media type and charset, and its body undone from
 * chunked and gzip/deflate transfer.  The body is handed on as a member
 * of parent when it is an HTML page; with w (images), another successful
 * body goes to its index (cut: the archive says the record is cut; at:
 * where block is in the archive's file, or -1); anything else is
 * skipped. */
int bt_http_page(bt_input_ctx *c, const bt_item *parent, const char *name, const char *url,
                 const char *block, size_t len, int is_http, const char *media_type,
                 bt_webimg *w, int cut, long long at, bt_error *err);

#endif
