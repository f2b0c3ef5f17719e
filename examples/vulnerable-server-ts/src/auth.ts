// Access tokens for the HTTP transport. Never run it.
import { createHash } from 'node:crypto';

// Weak crypto: a token from Math.random() can be predicted from a few earlier ones.
export const issueAccessToken = () => Math.random().toString(36).slice(2);

// Weak crypto: MD5 over a password is reversed by lookup tables in seconds.
export const storedPassword = (password: string) => createHash('md5').update(password).digest('hex');

// Clean neighbour: a checksum of a file is not a password hash.
export const checksum = (body: string) => createHash('md5').update(body).digest('hex');
