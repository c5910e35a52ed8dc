import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@marquee/common';

export interface StoredUpload {
  filePath: string;
  fileName: string;
  fields: Record<string, string>;
}

const MAX_FIELDS = 10;

/**
 * Streams the multipart `file` part to `uploadsDir` under a fresh name, never holding it in
 * memory, and stops at `maxBytes` (413, the partial file removed). Other parts are text fields.
 */
export async function receiveUpload(request: FastifyRequest, uploadsDir: string, maxBytes: number): Promise<StoredUpload> {
  if (!request.isMultipart()) {
    throw new DomainError('IMPORTS.NOT_MULTIPART', 415, 'send the CSV as multipart/form-data with a "file" part and a "mode" field');
  }
  const dir = resolve(uploadsDir);
  await mkdir(dir, { recursive: true });
  let stored: StoredUpload | undefined;
  let partial: string | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: MAX_FIELDS, fieldSize: 1024 } })) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file') {
        part.file.resume();
        continue;
      }
      partial = join(dir, `${randomUUID()}.csv`);
      await pipeline(part.file, createWriteStream(partial, { flags: 'wx' }));
      stored = { filePath: partial, fileName: cleanName(part.filename), fields };
      partial = undefined;
    }
  } catch (error) {
    await Promise.all([partial, stored?.filePath].filter(Boolean).map((p) => rm(p!, { force: true })));
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new DomainError('IMPORTS.TOO_LARGE', 413, `the file is larger than the upload limit of ${maxBytes} bytes`);
    }
    // The client went away mid-upload: nobody reads the answer, but it is no server fault either.
    if (code === 'ECONNRESET' || request.raw.socket?.destroyed) throw new DomainError('IMPORTS.BAD_UPLOAD', 400, 'the upload was cut off before its end');
    if (code === 'FST_FILES_LIMIT') throw new DomainError('IMPORTS.BAD_UPLOAD', 400, 'send one file per upload, as the multipart part named "file"');
    if (code === 'FST_FIELDS_LIMIT') throw new DomainError('IMPORTS.BAD_UPLOAD', 400, `send at most ${MAX_FIELDS} form fields with the file`);
    const status = (error as { statusCode?: number }).statusCode;
    // The multipart parser's own errors carry no code ("Unexpected end of multipart data": a
    // truncated body); a system error (ENOSPC writing the file) is ours, not the client's.
    const fromParser = code === undefined || (code.startsWith('FST_') && status !== undefined && status < 500);
    if (fromParser) throw new DomainError('IMPORTS.BAD_UPLOAD', 400, `the upload could not be read: ${(error as Error).message}`);
    throw error;
  }
  if (!stored) throw new DomainError('INVALID_FIELDS', 422, 'file is required: send the CSV as the multipart part named "file"');
  return stored;
}

/** The name as the admin knows it, for display only: no path, no control characters, bounded. */
function cleanName(name: string): string {
  const cleaned = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return cleaned || 'upload.csv';
}
