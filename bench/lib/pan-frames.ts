/**
 * Evaluated in the page (as text: the bench is type-checked without the DOM's types): records the time of every
 * animation frame until STOP_FRAME_RECORDING. A frame is only produced when the main thread is free, so frames
 * recorded while the pane is dragged say how smoothly the canvas pans.
 */
export const START_FRAME_RECORDING = `(() => {
  const frames = [];
  window.kaiBenchFrames = frames;
  const tick = (time) => {
    if (window.kaiBenchFrames !== frames) return;
    frames.push(time);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** Stops the recording and answers the frame times. */
export const STOP_FRAME_RECORDING = `(() => {
  const frames = window.kaiBenchFrames ?? [];
  window.kaiBenchFrames = null;
  return frames;
})()`;

/** Frames per second over the recording, and its longest frame (the stutter a user sees). */
export function frameRate(frames: readonly number[]): { fps: number; longestFrameMs: number } {
  if (frames.length < 2) return { fps: 0, longestFrameMs: Number.POSITIVE_INFINITY };
  const gaps = frames.slice(1).map((time, index) => time - frames[index]);
  const span = frames[frames.length - 1] - frames[0];
  return { fps: ((frames.length - 1) * 1000) / span, longestFrameMs: Math.max(...gaps) };
}

