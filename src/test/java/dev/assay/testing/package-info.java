/** Test support shared by several packages: locating the read-only real data in {@code shared/data}. */
package dev.assay.testing;
