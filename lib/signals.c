#include <signal.h>

#include "error.h"
#include "signals.h"

static volatile sig_atomic_t caught;

static void
on_signal(int sig)
{
	caught = sig;
}

void
etl_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Past RLIMIT_FSIZE a write fails with EFBIG instead of killing us. */
	sigaction(SIGXFSZ, &sa, NULL);

	/* No SA_RESTART: a blocking read returns EINTR and we stop. */
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int
etl_signal_caught(void)
{
	return caught;
}

int
etl_signal_check(struct etl_error *err)
{
	int sig = caught;

	if (sig == 0)
		return 0;
	if (sig == SIGINT)
		return etl_error_set(err, ETL_EINTR, "interrupted");
	return etl_error_set(err, ETL_ETERM, "terminated by signal %d", sig);
}
