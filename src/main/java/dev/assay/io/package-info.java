/** Reading user files strictly (file, line, field in every error), the shared JSON form, coders, failure records. */
package dev.assay.io;
