/**
 * Run directories (private, 0700, removed afterwards) and directory sizes, for the dump and the pgpass
 * file.
 */
package io.pgrelocate.engine.files;
