/* etl-extract file: CSV, JSON, NDJSON or XML from a file or stdin. */
#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"

/* The format a file name suggests, or FMT_AUTO. */
static enum format
format_from_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return FMT_AUTO;
	if (strcasecmp(dot, ".tsv") == 0)
		return FMT_CSV;
	return format_from_name(dot + 1);
}

int
run_file(struct etl_tool *t, const struct extract_opts *o)
{
	struct extract_opts fo = *o;
	struct etl_fdsrc src;
	struct emitter e;
	struct stream_result res;
	struct stat sb;
	int stdin_ = strcmp(o->target, "-") == 0;
	int fd = STDIN_FILENO, rc;

	/* The summary shows the counts even when the file is missing. */
	etl_summary_counter(&t->summary, "records");
	etl_summary_counter(&t->summary, "rejected");
	if (!stdin_) {
		fd = open(o->target, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return etl_error_at(&t->err, errno == ENOENT ||
			    errno == ENOTDIR ? ETL_ENOINPUT : ETL_EIO,
			    o->target, 0, NULL, "%s", strerror(errno));
		if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			close(fd);
			return etl_error_at(&t->err, ETL_ENOINPUT, o->target,
			    0, NULL, "is a directory");
		}
	}
	if (fo.format == FMT_AUTO && !stdin_)
		fo.format = format_from_path(o->target);
	if (fo.delimiter == 0 && !stdin_ && strlen(o->target) > 4 &&
	    strcasecmp(o->target + strlen(o->target) - 4, ".tsv") == 0)
		fo.delimiter = '\t';
	src.fd = fd;
	src.source = stdin_ ? "<stdin>" : o->target;
	rc = emit_open(&e, t, &fo);
	if (rc == 0) {
		e.nrec = etl_summary_counter(&t->summary, "records");
		e.nrej = etl_summary_counter(&t->summary, "rejected");
		rc = read_stream(&e, fo.format, etl_fdsrc_read, &src,
		    src.source, &res);
		if (rc == 0 && o->records != NULL && res.rest != NULL &&
		    !res.found)
			etl_log(ETL_LOG_WARN, "%s: nothing at --records %s",
			    src.source, o->records);
		json_decref(res.rest);
		rc = emit_close(&e, rc);
	}
	if (!stdin_)
		close(fd);
	return rc;
}
