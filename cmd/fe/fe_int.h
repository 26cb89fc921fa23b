/* Private to the front end (the files in cmd/fe/). */
#ifndef BT_FE_INT_H
#define BT_FE_INT_H

/* Clears a progress line that is on the terminal, so that a message gets a
 * line of its own (fe_progress.c). */
void fe_progress_clear_line(void);

#endif
