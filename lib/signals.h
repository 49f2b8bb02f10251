/*
 * Signal handling for tools: SIGPIPE ignored (a closed stdout arrives as
 * EPIPE), SIGINT and SIGTERM noted so that readers stop at the next read
 * and the tool rolls back and exits 130 or 143.
 */
#ifndef ETL_SIGNALS_H
#define ETL_SIGNALS_H

void etl_signals_install(void);

/* The signal caught (SIGINT, SIGTERM) or 0. */
int etl_signal_caught(void);

/* -ETL_EINTR or -ETL_ETERM filled into err when a signal was caught, else 0. */
struct etl_error;
int etl_signal_check(struct etl_error *err);

#endif
