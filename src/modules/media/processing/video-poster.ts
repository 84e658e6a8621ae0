import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const available = new Map<string, Promise<boolean>>();

/** Whether `ffmpeg` (a path or a name on PATH) runs here; `off` never does. Asked once per binary. */
export function ffmpegAvailable(ffmpeg: string): Promise<boolean> {
  if (ffmpeg === 'off') return Promise.resolve(false);
  let known = available.get(ffmpeg);
  if (!known) {
    known = new Promise((resolve) => execFile(ffmpeg, ['-hide_banner', '-version'], { timeout: 10_000 }, (err) => resolve(!err)));
    available.set(ffmpeg, known);
  }
  return known;
}

/**
 * The first frame (at 0.5 s, or the first one for shorter videos) of a video as PNG, by ffmpeg.
 * The original is copied to a temp file first: MP4s with the index at the end cannot be read
 * from a pipe. At most 60 s of ffmpeg, and no audio or subtitles are decoded.
 */
export async function posterFrame(ffmpeg: string, video: Readable): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'connecto-poster-'));
  const input = join(dir, 'input');
  try {
    await pipeline(video, createWriteStream(input));
    const grab = (seek: string[]) =>
      new Promise<Buffer>((resolve, reject) =>
        execFile(
          ffmpeg,
          [
            '-hide_banner',
            '-loglevel',
            'error',
            ...seek,
            '-i',
            input,
            '-an',
            '-sn',
            '-frames:v',
            '1',
            '-f',
            'image2',
            '-c:v',
            'png',
            'pipe:1',
          ],
          { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
          (err, stdout, stderr) =>
            err ? reject(new Error(`ffmpeg: ${stderr.toString().trim().slice(0, 200) || err.message}`)) : resolve(stdout),
        ),
      );
    let png = await grab(['-ss', '0.5']);
    if (png.length === 0) png = await grab([]);
    if (png.length === 0) throw new Error('ffmpeg found no video frame');
    return png;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
