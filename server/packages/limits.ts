// The limits a package's tarball is held to while it is read. A published package is data written by a stranger:
// it may be huge, may unpack to far more than it weighs (a decompression bomb), may hold millions of files, or may
// try to write outside the folder it is unpacked into. Each limit turns such a package into a finding instead of a
// full disk, an exhausted memory or a file written somewhere else.

/** How much of a package the extraction accepts. */
export interface PackageLimits {
  /** The tarball's size as downloaded (gzip), in bytes. */
  compressedBytes: number;
  /** The sum of the unpacked files' sizes, in bytes. */
  totalBytes: number;
  /** One unpacked file's size, in bytes; a larger file is refused and reported, the rest is read. */
  fileBytes: number;
  /** Entries in the archive (files, folders and refused entries alike). */
  files: number;
  /**
   * Unpacked bytes per downloaded byte, checked once `ratioFloorBytes` have been unpacked: text compresses about
   * five to ten times, so a far higher ratio is a bomb, not source code.
   */
  ratio: number;
  /** Unpacked bytes below which the ratio is not checked (a tiny package of repeated lines may compress well). */
  ratioFloorBytes: number;
  /** The whole vet of one package (resolve, fetch, extract, scan), in milliseconds. */
  timeMs: number;
}

/**
 * The defaults: generous for real servers (the largest MCP server packages in the corpus are a few megabytes
 * packed and tens unpacked) and small enough that a hostile package costs seconds and a bounded amount of disk.
 */
export const DEFAULT_PACKAGE_LIMITS: Readonly<PackageLimits> = {
  compressedBytes: 50 * 1024 * 1024,
  totalBytes: 200 * 1024 * 1024,
  fileBytes: 10 * 1024 * 1024,
  files: 20_000,
  ratio: 100,
  ratioFloorBytes: 8 * 1024 * 1024,
  timeMs: 120_000,
};
