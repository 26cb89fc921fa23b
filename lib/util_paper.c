/* Paper names, lengths and margins: the one parser both printers use
 * (--paper, --margin, and the same keys in style files). */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PT_PER_MM (72.0 / 25.4)
#define MAX_MARGIN_MM 100.0
#define MIN_PAPER_MM 50.0
#define MAX_PAPER_MM 2000.0
#define MIN_TEXT_MM 40.0

/* A number and an optional unit at s; *unit is the unit's scale to points
 * (0 when none was written); *end past what was read.  -1 when s does
 * not start with a number. */
static int number_unit(const char *s, double *v, double *unit, const char **end)
{
    while (*s == ' ')
        s++;
    /* Digits and a point only: no sign, exponent, "inf", "nan" or hex. */
    size_t n = strspn(s, "0123456789.");
    char num[32], *stop;
    if (n == 0 || n >= sizeof num)
        return -1;
    memcpy(num, s, n);
    num[n] = '\0';
    errno = 0;
    double x = strtod(num, &stop);
    if (stop != num + n || errno || !isfinite(x) || x < 0)
        return -1;
    const char *e = s + n;
    while (*e == ' ')
        e++;
    static const struct { const char *name; double scale; } units[] = {
        {"mm", PT_PER_MM}, {"cm", 10 * PT_PER_MM}, {"in", 72.0}, {"pt", 1.0},
    };
    *unit = 0;
    for (size_t i = 0; i < BT_ARRAY_LEN(units); i++) {
        if (!strncasecmp(e, units[i].name, 2)) {
            *unit = units[i].scale;
            e += 2;
            break;
        }
    }
    while (*e == ' ')
        e++;
    *v = x;
    *end = e;
    return 0;
}

int bt_length_parse(const char *s, double *pt, bt_error *err)
{
    double v, unit;
    const char *e;
    if (!s || number_unit(s, &v, &unit, &e) < 0 || *e) {
        bt_error_set(err, BT_ERR_USAGE, "bad length '%s' (a number with mm, cm, in or pt)",
                     s ? s : "");
        return -1;
    }
    *pt = v * (unit ? unit : PT_PER_MM);
    return 0;
}

int bt_paper_parse(const char *s, double *width, double *height, bt_error *err)
{
    static const struct { const char *name; double w, h; } papers[] = {
        {"A3", 297, 420}, {"A4", 210, 297}, {"A5", 148, 210},
        {"B5", 176, 250}, {"Letter", 215.9, 279.4}, {"Legal", 215.9, 355.6},
    };
    if (!s)
        s = "";
    for (size_t i = 0; i < BT_ARRAY_LEN(papers); i++) {
        if (!strcasecmp(s, papers[i].name)) {
            *width = papers[i].w * PT_PER_MM;
            *height = papers[i].h * PT_PER_MM;
            return 0;
        }
    }
    /* WIDTHxHEIGHT: a unit given only after the height applies to both. */
    double w, h, uw, uh;
    const char *e;
    if (number_unit(s, &w, &uw, &e) == 0 && (*e == 'x' || *e == 'X') &&
        number_unit(e + 1, &h, &uh, &e) == 0 && !*e) {
        if (!uh)
            uh = uw ? uw : PT_PER_MM;
        if (!uw)
            uw = uh;
        w *= uw;
        h *= uh;
        if (w < MIN_PAPER_MM * PT_PER_MM - 1e-9 || h < MIN_PAPER_MM * PT_PER_MM - 1e-9 ||
            w > MAX_PAPER_MM * PT_PER_MM + 1e-9 || h > MAX_PAPER_MM * PT_PER_MM + 1e-9) {
            bt_error_set(err, BT_ERR_USAGE, "paper '%s' out of range (each side %.0f to "
                         "%.0f mm)", s, MIN_PAPER_MM, MAX_PAPER_MM);
            return -1;
        }
        *width = w;
        *height = h;
        return 0;
    }
    bt_error_set(err, BT_ERR_USAGE, "unknown paper '%s' (A3, A4, A5, B5, Letter, Legal "
                 "or WIDTHxHEIGHT such as 210x297mm)", s);
    return -1;
}

int bt_margins_parse(const char *s, double m[4], bt_error *err)
{
    double v[4], u[4], unit = 0;
    int n = 0;
    const char *p = s ? s : "", *e = p;
    while (n < 4 && number_unit(p, &v[n], &u[n], &e) == 0) {
        n++;
        if (*e != ',')
            break;
        p = e + 1;
    }
    if (*e || (n != 1 && n != 4)) {
        bt_error_set(err, BT_ERR_USAGE, "bad margin '%s' (one length, or four: "
                     "TOP,RIGHT,BOTTOM,LEFT, e.g. 20,15,20,30mm)", s ? s : "");
        return -1;
    }
    /* "20,15,20,30mm": a unit written once (or always the same) is that of
     * the lengths without one; with several units they are millimetres. */
    for (int i = 0; i < n; i++) {
        if (u[i] && unit && u[i] != unit) {
            unit = -1;
            break;
        }
        if (u[i])
            unit = u[i];
    }
    if (unit < 0)
        unit = 0;
    for (int i = 0; i < n; i++) {
        v[i] *= u[i] ? u[i] : unit ? unit : PT_PER_MM;
        if (v[i] > MAX_MARGIN_MM * PT_PER_MM + 1e-9) {
            bt_error_set(err, BT_ERR_USAGE, "margin '%s' out of range (0 to %.0f mm)", s,
                         MAX_MARGIN_MM);
            return -1;
        }
    }
    for (int i = 0; i < 4; i++)
        m[i] = v[n == 1 ? 0 : i];
    return 0;
}

int bt_page_check(double width, double height, const double m[4], bt_error *err)
{
    double minw = MIN_TEXT_MM * PT_PER_MM;
    if (width - m[1] - m[3] < minw || height - m[0] - m[2] < minw) {
        bt_error_set(err, BT_ERR_USAGE, "margins leave too little room on a %.0fx%.0fmm "
                     "page (at least %.0f mm of text each way)", width / PT_PER_MM,
                     height / PT_PER_MM, MIN_TEXT_MM);
        return -1;
    }
    return 0;
}
