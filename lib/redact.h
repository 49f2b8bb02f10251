/*
 * Secrets never reach logs or messages (DESIGN.md section 6): values of
 * Authorization, Proxy-Authorization, Cookie, Set-Cookie, *-Key and
 * *-Token headers, passwords inside URIs (scheme://user:***@host), and
 * key=value pairs named like password, secret, token, api_key, *_key,
 * *_token (connection strings, query strings) become "***"; so do the
 * string values of such names as JSON members ("Authorization": "...").
 */
#ifndef ETL_REDACT_H
#define ETL_REDACT_H

/* A new string with secrets replaced; NULL when out of memory. */
char *etl_redact(const char *s);

/* Whether a header name (any case) carries a secret value. */
int etl_redact_header_name(const char *name, size_t len);

#endif
