/*
 * Functions that are easy to misuse are banned from the code base (after
 * git's banned.h).  This header is force-included before every source
 * file, so it pulls in the system headers that declare them first.
 */
#ifndef ETL_BANNED_H
#define ETL_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ETL_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) ETL_BANNED(strcpy)
#undef strcat
#define strcat(x, y) ETL_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) ETL_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) ETL_BANNED(strncat)
#undef strtok
#define strtok(x, y) ETL_BANNED(strtok)
#undef sprintf
#define sprintf(...) ETL_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) ETL_BANNED(vsprintf)
#undef gets
#define gets(x) ETL_BANNED(gets)
#undef atoi
#define atoi(x) ETL_BANNED(atoi)
#undef atol
#define atol(x) ETL_BANNED(atol)
#undef gmtime
#define gmtime(t) ETL_BANNED(gmtime)
#undef localtime
#define localtime(t) ETL_BANNED(localtime)
#undef ctime
#define ctime(t) ETL_BANNED(ctime)
#undef ctime_r
#define ctime_r(t, b) ETL_BANNED(ctime_r)
#undef asctime
#define asctime(t) ETL_BANNED(asctime)
#undef asctime_r
#define asctime_r(t, b) ETL_BANNED(asctime_r)

#endif
