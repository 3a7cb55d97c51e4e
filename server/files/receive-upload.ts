import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { badRequest } from '../../schema-engine/index.js';
import { HttpError } from '../errors.js';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface ReceivedFile {
  /** The name the client gave (not yet made safe). */
  filename: string;
  /** The text parts sent beside the file (an import's `encoding`, `worksheet`…), by name. */
  fields: Record<string, string>;
}

const invalid = (message: string, problem: string) => badRequest(message, { fields: { file: problem } });

const tooLarge = (maxBytes: number) => new HttpError(413, 'payload_too_large', `A file can be at most ${maxBytes / 1024 / 1024} MB`, { fields: { file: `is larger than ${maxBytes / 1024 / 1024} MB` } });

/** What went wrong with a multipart body, said for the person who sent it (busboy's and the plugin's errors). */
function multipartProblem(error: unknown, boundaryFound: boolean, maxBytes: number): HttpError | ReturnType<typeof badRequest> {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(maxBytes);
  if (code === 'FST_FILES_LIMIT') return invalid('Send one file per upload; this one has two or more', 'must be one file');
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return invalid('The upload has too many parts; send one file', 'must be one file');
  if (/boundary not found/i.test(message)) return invalid('The multipart Content-Type names no boundary', 'is not multipart/form-data with a boundary');
  if (!boundaryFound) return invalid('The multipart body does not start with the boundary its Content-Type names (broken boundary)', 'is not delimited by its boundary');
  if (/unexpected end|terminated early|premature|closed before/i.test(message) || code === 'FST_MP_PREMATURE_CLOSE') {
    return invalid('The multipart body ended before its closing boundary (truncated upload); nothing was saved', 'is incomplete');
  }
  return invalid(`The multipart body is malformed: ${message}`, 'is malformed');
}

/**
 * Reads a multipart/form-data request that must hold exactly one file part (any other fields are read and ignored)
 * and writes the file to `target`. Any malformation answers 400 naming it (413 when too large), after removing
 * whatever was written: the caller stores nothing unless this returns.
 */
export async function receiveOneFile(request: FastifyRequest, target: string, maxBytes = MAX_FILE_BYTES): Promise<ReceivedFile> {
  if (!request.isMultipart()) throw invalid('Send the file as multipart/form-data', 'is missing');
  let received: { filename: string } | undefined;
  const fields: Record<string, string> = {};
  const fieldNames: string[] = [];
  let emptyFile: string | undefined;
  // Tells a broken boundary from a truncated body, which the parser reports alike: a body starts with its delimiter.
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(request.headers['content-type']));
  let boundaryFound = false;
  request.raw.once('data', (chunk: Buffer) => {
    boundaryFound = !!boundary && chunk.includes(`--${boundary[1] ?? boundary[2]}`);
  });
  try {
    const parts = request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 20, parts: 21, fieldSize: 10_000 } });
    for await (const part of parts) {
      if (part.type === 'field') {
        fieldNames.push(part.fieldname);
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      // Written as it arrives, then checked: the rest of the body must still parse (a second file, a truncation).
      await pipeline(part.file, createWriteStream(target));
      if (part.file.truncated) throw tooLarge(maxBytes);
      // What a browser sends for a file input left empty: no name, no bytes.
      if (!part.filename && (await stat(target)).size === 0) {
        emptyFile = part.fieldname;
        continue;
      }
      received = { filename: part.filename };
    }
  } catch (error) {
    await rm(target, { force: true });
    // Our own refusals as they are; the disk failing (ENOSPC…) is the server's problem, not a malformed body.
    if (error instanceof HttpError || (error as { syscall?: string }).syscall) throw error;
    throw multipartProblem(error, boundaryFound, maxBytes);
  }
  if (!received) {
    await rm(target, { force: true });
    const names = fieldNames.map((n) => `"${n}"`).join(', ');
    const found =
      emptyFile !== undefined
        ? ` (no file was chosen for the part "${emptyFile}")`
        : fieldNames.length === 1
          ? ` (the part ${names} is a field: it has no filename)`
          : fieldNames.length
            ? ` (the parts ${names} are fields: they have no filename)`
            : '';
    throw invalid(`The upload has no file part${found}; send the file as a part with a filename`, 'is missing');
  }
  return { ...received, fields };
}
