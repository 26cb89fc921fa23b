/* Unit tests for the images of the articles (lib/input_images.c,
 * lib/input_webimg.c): URL keys, the paths tried inside a tree, the
 * store (names, relative srcs, errors), data: URIs, a web archive whose
 * image comes after its page, and addresses reported once. */
#include "unit.h"

#include "input_int.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- URL keys ---- */

static int same_key(const char *a, const char *b)
{
    unsigned char ka[16], kb[16];
    assert_int_equal(bt_url_key(a, ka), 0);
    assert_int_equal(bt_url_key(b, kb), 0);
    return !memcmp(ka, kb, 16);
}

static void test_url_keys(void **state)
{
    (void)state;
    static const char *const same[][2] = {
        {"HTTPS://Tin.Example.VN:443/a%2db.jpg#top", "https://tin.example.vn/a-b.jpg"},
        {"http://x.vn:80/a", "http://x.vn/a"},
        {"http://x.vn", "http://x.vn/"},
        {"http://x.vn/ảnh 1.jpg", "http://x.vn/%E1%BA%A3nh%201.jpg"},
        {"  http://x.vn/a.jpg\n", "http://x.vn/a.jpg"},
        {"http://x.vn/a%3fb", "http://x.vn/a%3Fb"},
    };
    static const char *const differ[][2] = {
        {"http://x.vn/a%3Fb", "http://x.vn/a?b"}, /* an escaped ? is no query */
        {"http://x.vn/a%2Fb", "http://x.vn/a/b"},
        {"http://x.vn/a.jpg?w=1", "http://x.vn/a.jpg"},
        {"http://x.vn/A.jpg", "http://x.vn/a.jpg"}, /* paths keep their case */
        {"https://x.vn/a.jpg", "http://x.vn/a.jpg"},
        {"http://x.vn:8080/a", "http://x.vn/a"},
    };
    for (size_t i = 0; i < NELEMS(same); i++)
        if (!same_key(same[i][0], same[i][1]))
            fail_msg("%s and %s have different keys", same[i][0], same[i][1]);
    for (size_t i = 0; i < NELEMS(differ); i++)
        if (same_key(differ[i][0], differ[i][1]))
            fail_msg("%s and %s have the same key", differ[i][0], differ[i][1]);
}

/* ---- candidates ---- */

typedef struct tried {
    char paths[40][256];
    int n, stop_at;
} tried;

static int note(void *ctx, const char *path)
{
    tried *t = ctx;
    assert_true(t->n < 40);
    snprintf(t->paths[t->n], sizeof t->paths[0], "%s", path);
    t->n++;
    return t->n == t->stop_at;
}

static int has(const tried *t, const char *path)
{
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->paths[i], path))
            return i + 1;
    return 0;
}

static void test_candidates(void **state)
{
    (void)state;
    tried t = {0};
    int left = -1;
    /* a relative src from a page's folder on disk; . and .. inside it */
    assert_int_equal(bt_img_candidates("./a/../img/b.jpg", NULL, "saved", "", 0, note, &t, &left), 0);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.paths[0], "saved/img/b.jpg");
    assert_int_equal(left, 0);
    /* leaving the folder: nothing is tried */
    memset(&t, 0, sizeof t);
    assert_int_equal(bt_img_candidates("../../etc/x.png", NULL, "saved", "", 0, note, &t, &left), 0);
    assert_int_equal(t.n, 0);
    assert_int_equal(left, 1);
    memset(&t, 0, sizeof t);
    assert_int_equal(bt_img_candidates("https://x.vn/a/../../etc/x.png", "https://x.vn/tin/b.html", "saved",
                                       "", 0, note, &t, &left), 0);
    assert_int_equal(t.n, 0);
    /* the page's URL made the src absolute: its path back from the page's */
    memset(&t, 0, sizeof t);
    assert_int_equal(bt_img_candidates("https://x.vn/tin/B%C3%A0i_files/a.jpg?v=2#f", "https://x.vn/tin/b.html",
                                       "saved", "", 0, note, &t, NULL), 0);
    assert_true(has(&t, "saved/B%C3%A0i_files/a.jpg?v=2"));
    assert_true(has(&t, "saved/Bài_files/a.jpg?v=2"));
    assert_true(has(&t, "saved/Bài_files/a.jpg"));
    assert_true(has(&t, "saved/B%C3%A0i_files/a.jpg"));
    assert_int_equal(t.n, 4);
    /* another site: not relative to the page */
    memset(&t, 0, sizeof t);
    assert_int_equal(bt_img_candidates("https://cdn.vn/a.jpg", "https://x.vn/tin/b.html", "saved", "", 0,
                                       note, &t, NULL), 0);
    assert_int_equal(t.n, 0);
    /* in a zip: from the page's member, then the URL's host and path under
     * each folder above it; ../ stays inside the tree */
    memset(&t, 0, sizeof t);
    assert_int_equal(bt_img_candidates("https://x.vn/anh/a.jpg", "https://x.vn/tin/b.html", "", "site/tin",
                                       1, note, &t, NULL), 0);
    assert_int_equal(has(&t, "site/anh/a.jpg"), 1);
    assert_true(has(&t, "site/tin/x.vn/anh/a.jpg"));
    assert_true(has(&t, "site/x.vn/anh/a.jpg"));
    assert_true(has(&t, "x.vn/anh/a.jpg"));
    assert_true(has(&t, "anh/a.jpg"));
    /* the first hit stops the search and is returned */
    memset(&t, 0, sizeof t);
    t.stop_at = 2;
    assert_int_equal(bt_img_candidates("https://x.vn/anh/a.jpg", NULL, "", "site", 1, note, &t, NULL), 1);
    assert_int_equal(t.n, 2);
    /* %2F and %00 are not undone into a path */
    memset(&t, 0, sizeof t);
    assert_int_equal(bt_img_candidates("a%2Fb%00.jpg", NULL, "d", "", 0, note, &t, NULL), 0);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.paths[0], "d/a%2Fb%00.jpg");
}

/* ---- the store, through the public API ---- */

/* PNG images of 3x2 and 1x1 pixels, in base64 */
static const char PNG_3x2[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR42mP4z8AAQQxwFgBB0gX7b/EWxwAAAABJRU5ErkJggg==";
static const char PNG_1x1[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

typedef struct seen {
    int articles, image_problems;
    char src[256], type[32], last[1600];
    unsigned width, height;
} seen;

static int on_article(bt_article *a, void *ctx)
{
    seen *s = ctx;
    s->articles++;
    for (size_t i = 0; i < a->nblocks; i++)
        if (a->blocks[i].kind == BT_BLOCK_FIGURE) {
            snprintf(s->src, sizeof s->src, "%s", a->blocks[i].src ? a->blocks[i].src : "");
            snprintf(s->type, sizeof s->type, "%s", a->blocks[i].media_type ? a->blocks[i].media_type : "");
            s->width = a->blocks[i].width;
            s->height = a->blocks[i].height;
        }
    return 0;
}

static void on_problem(const char *msg, int kind, void *ctx)
{
    seen *s = ctx;
    if (kind == BT_PROBLEM_IMAGE) {
        s->image_problems++;
        snprintf(s->last, sizeof s->last, "%s", msg);
    }
}

static const char PARAS[] =
    "<p>Sáng nay, Ủy ban nhân dân quận tổ chức hội nghị sơ kết công tác sáu tháng đầu năm, đánh giá "
    "kết quả thực hiện các chỉ tiêu kinh tế, xã hội và quốc phòng an ninh trên địa bàn.</p>"
    "<p>Theo báo cáo, tổng thu ngân sách đạt hơn 62% dự toán, nhiều công trình trọng điểm được đẩy "
    "nhanh tiến độ, công tác cải cách hành chính có chuyển biến rõ rệt trong sáu tháng.</p>";

static void page(bt_buf *b, const char *url, const char *src)
{
    bt_buf_reset(b);
    assert_int_equal(bt_buf_addf(b, "<html><head><title>Sơ kết</title>%s%s%s</head><body><article>"
                                    "<h1>Quận sơ kết công tác sáu tháng</h1><figure><img src=\"%s\">"
                                    "<figcaption>Ảnh</figcaption></figure>%s</article></body></html>",
                                 url ? "<link rel=\"canonical\" href=\"" : "", url ? url : "",
                                 url ? "\">" : "", src, PARAS), 0);
}

/* A store in a scratch folder: images kept in DIR/IMG, srcs written
 * from DIR/OUT ("" for DIR itself), opts handing it to the extractors. */
typedef struct store {
    char dir[32], img[64], out[64];
    bt_images *im;
    bt_extract_opts opts;
} store;

static void store_open(store *st, const char *img, const char *out)
{
    snprintf(st->dir, sizeof st->dir, "/tmp/bt-images-XXXXXX");
    assert_non_null(mkdtemp(st->dir));
    snprintf(st->img, sizeof st->img, "%s%s", st->dir, img);
    snprintf(st->out, sizeof st->out, "%s%s", st->dir, out);
    if (*img)
        assert_int_equal(mkdir(st->img, 0700), 0);
    if (*out)
        assert_int_equal(mkdir(st->out, 0700), 0);
    bt_error err = BT_ERROR_INIT;
    bt_images_opts io = {st->img, st->out, 0, 0};
    st->im = bt_images_open(&io, &err);
    assert_non_null(st->im);
    memset(&st->opts, 0, sizeof st->opts);
    st->opts.images = st->im;
}

/* The scratch folder and all in it removed (the store closed before). */
static void store_remove(const store *st)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", st->dir);
    assert_int_equal(system(cmd), 0);
}

static void test_store_and_data_uris(void **state)
{
    (void)state;
    store sto;
    store_open(&sto, "/img", "/out");
    bt_error err = BT_ERROR_INIT;
    bt_buf html = BT_BUF_INIT, src = BT_BUF_INIT;
    assert_int_equal(bt_buf_addf(&src, "data:image/png;base64,%s", PNG_3x2), 0);
    page(&html, NULL, src.data);
    seen s = {0};
    assert_int_equal(bt_extract_input("p.html", html.data, html.len, &sto.opts, on_article, on_problem, &s, &err), 0);
    assert_int_equal(s.articles, 1);
    assert_int_equal(s.image_problems, 0);
    /* a path from the output's folder, the file named by its SHA-256 */
    assert_true(!strncmp(s.src, "../img/", 7));
    assert_string_equal(s.src + 7 + 64, ".png");
    assert_string_equal(s.type, "image/png");
    assert_int_equal(s.width, 3);
    assert_int_equal(s.height, 2);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", sto.out, s.src);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 73);
    /* the same image again: the same file, nothing new */
    seen s2 = {0};
    assert_int_equal(bt_extract_input("q.html", html.data, html.len, &sto.opts, on_article, on_problem, &s2, &err), 0);
    assert_string_equal(s2.src, s.src);
    /* base64 with URL escapes: the same image */
    bt_buf_reset(&src);
    assert_int_equal(bt_buf_adds(&src, "data:image/png;base64,"), 0);
    for (const char *p = PNG_3x2; *p; p++)
        assert_int_equal(*p == '+' ? bt_buf_adds(&src, "%2B") : *p == '/' ? bt_buf_adds(&src, "%2f")
                                                                           : bt_buf_addc(&src, *p), 0);
    assert_non_null(strstr(src.data, "%2"));
    page(&html, NULL, src.data);
    memset(&s2, 0, sizeof s2);
    assert_int_equal(bt_extract_input("e.html", html.data, html.len, &sto.opts, on_article, on_problem, &s2, &err), 0);
    assert_string_equal(s2.src, s.src);
    /* percent-encoded data: the bytes as they are */
    bt_buf_reset(&src);
    assert_int_equal(bt_buf_adds(&src, "data:,GIF89a%03%00%02%00%80%00%00"), 0);
    page(&html, NULL, src.data);
    memset(&s2, 0, sizeof s2);
    assert_int_equal(bt_extract_input("g.html", html.data, html.len, &sto.opts, on_article, on_problem, &s2, &err), 0);
    assert_string_equal(s2.type, "image/gif");
    assert_int_equal(s2.width, 3);
    /* a lazy loader's 1x1 stand-in: dropped quietly, as without images */
    bt_buf_reset(&src);
    assert_int_equal(bt_buf_addf(&src, "data:image/png;base64,%s", PNG_1x1), 0);
    page(&html, NULL, src.data);
    memset(&s2, 0, sizeof s2);
    assert_int_equal(bt_extract_input("z.html", html.data, html.len, &sto.opts, on_article, on_problem, &s2, &err), 0);
    assert_string_equal(s2.src, "");
    assert_int_equal(s2.image_problems, 0);
    /* broken base64, not an image, an empty one: dropped, reported once each */
    const char *bad[] = {"data:image/png;base64,iVBO$$$", "data:text/plain,hello", "data:image/png;base64,",
                         "data:image/png;base64,iVBO$$$"};
    for (size_t i = 0; i < 4; i++) {
        page(&html, NULL, bad[i]);
        memset(&s2, 0, sizeof s2);
        assert_int_equal(bt_extract_input("b.html", html.data, html.len, &sto.opts, on_article, on_problem, &s2, &err),
                         0);
        assert_string_equal(s2.src, "");
        assert_int_equal(s2.image_problems, i < 3);
    }
    /* a remote image of a page held in memory: kept, one notice for the address */
    page(&html, "https://x.vn/tin/a.html", "https://cdn.x.vn/a.jpg");
    for (int i = 0; i < 2; i++) {
        memset(&s2, 0, sizeof s2);
        assert_int_equal(bt_extract_input("r.html", html.data, html.len, &sto.opts, on_article, on_problem, &s2, &err),
                         0);
        assert_string_equal(s2.src, "https://cdn.x.vn/a.jpg");
        assert_int_equal(s2.image_problems, i == 0);
    }
    assert_string_equal(s2.src, "https://cdn.x.vn/a.jpg");
    bt_images_close(sto.im);
    /* without images: a data: src is dropped, as it always was */
    memset(&s2, 0, sizeof s2);
    bt_buf_reset(&src);
    assert_int_equal(bt_buf_addf(&src, "data:image/png;base64,%s", PNG_3x2), 0);
    page(&html, NULL, src.data);
    assert_int_equal(bt_extract_input("p.html", html.data, html.len, NULL, on_article, on_problem, &s2, &err), 0);
    assert_string_equal(s2.src, "");
    assert_string_equal(s2.type, "");
    bt_buf_free(&html);
    bt_buf_free(&src);
    store_remove(&sto);
}

static void test_open_errors(void **state)
{
    (void)state;
    bt_error err = BT_ERROR_INIT;
    bt_images_opts io = {"/nonexistent/bantin/img", NULL, 0, 0};
    assert_null(bt_images_open(&io, &err));
    assert_int_equal(err.code, BT_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/bantin/img: "));
    char f[] = "/tmp/bt-images-file-XXXXXX";
    int fd = mkstemp(f);
    assert_true(fd >= 0);
    close(fd);
    io.dir = f;
    assert_null(bt_images_open(&io, &err));
    assert_int_equal(err.code, BT_ERR_USAGE);
    assert_non_null(strstr(err.msg, "not a directory"));
    io.dir = "/tmp";
    io.out_dir = "/nonexistent/out";
    assert_null(bt_images_open(&io, &err));
    assert_int_equal(err.code, BT_ERR_IO);
    io.dir = "";
    assert_null(bt_images_open(&io, &err));
    assert_int_equal(err.code, BT_ERR_USAGE);
    unlink(f);
}

/* A WARC in memory: the image record after the page, the article held
 * and handed on at the end, with the image found. */
static void test_warc_image_after_page(void **state)
{
    (void)state;
    store sto;
    store_open(&sto, "", "");
    bt_error err = BT_ERROR_INIT;
    bt_buf html = BT_BUF_INIT, w = BT_BUF_INIT, png = BT_BUF_INIT;
    page(&html, NULL, "/anh/a.png");
    static const unsigned char bytes[] = {
        0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 0, 200,
        8, 2, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(bt_buf_add(&png, bytes, sizeof bytes), 0);
    const char *uris[] = {"http://x.vn/tin/a.html", "http://x.vn/anh/a.png"};
    const bt_buf *bodies[] = {&html, &png};
    const char *types[] = {"text/html", "image/png"};
    for (int i = 0; i < 2; i++) {
        bt_buf http = BT_BUF_INIT;
        assert_int_equal(bt_buf_addf(&http, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n\r\n", types[i]), 0);
        assert_int_equal(bt_buf_add(&http, bodies[i]->data, bodies[i]->len), 0);
        unit_warc_response(&w, uris[i], http.data, http.len);
        bt_buf_free(&http);
    }
    seen s = {0};
    assert_int_equal(bt_extract_input("a.warc", w.data, w.len, &sto.opts, on_article, on_problem, &s, &err), 0);
    assert_int_equal(s.articles, 1);
    assert_int_equal(s.image_problems, 0);
    assert_string_equal(s.type, "image/png");
    assert_int_equal(s.width, 256);
    assert_int_equal(s.height, 200);
    /* the same archive cut before the image: the article, the figure's URL kept */
    seen s2 = {0};
    size_t cut = (size_t)(strstr(w.data, "WARC-Target-URI: http://x.vn/anh") - w.data) - 30;
    assert_int_equal(bt_extract_input("b.warc", w.data, cut, &sto.opts, on_article, on_problem, &s2, &err), 0);
    assert_int_equal(s2.articles, 1);
    assert_string_equal(s2.src, "http://x.vn/anh/a.png");
    assert_int_equal(s2.image_problems, 1);
    assert_non_null(strstr(s2.last, "b.warc:http://x.vn/tin/a.html: image http://x.vn/anh/a.png not stored: "
                                    "not in the archive"));
    bt_images_close(sto.im);
    bt_buf_free(&html);
    bt_buf_free(&w);
    bt_buf_free(&png);
    store_remove(&sto);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_keys),
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_store_and_data_uris),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_warc_image_after_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
