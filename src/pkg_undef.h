/*
 * pkg_undef.h — included at the bottom of autoconf.h. ClearSilver's cs_config.h
 * defines PACKAGE_* macros of its own; drop autoconf's so they do not collide.
 * Use KENPO_VERSION for our version.
 */
#undef PACKAGE
#undef PACKAGE_BUGREPORT
#undef PACKAGE_NAME
#undef PACKAGE_STRING
#undef PACKAGE_TARNAME
#undef PACKAGE_URL
#undef PACKAGE_VERSION
#undef VERSION
