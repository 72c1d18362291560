// A short tone made with WebAudio (no audio file to ship or fetch).
let audio: AudioContext | undefined;
let lastBeep = 0;

/** The context is created (or resumed) from a click first, as browsers' autoplay rules want. */
export function unlockAudio(): void {
  audio ??= new AudioContext();
  void audio.resume().catch(() => {});
}

/** A 150 ms beep; a burst of arrivals beeps once (at most one a second). */
export function beep(): void {
  const now = Date.now();
  if (now - lastBeep < 1000) return;
  lastBeep = now;
  unlockAudio();
  const context = audio!;
  const start = context.currentTime;
  const tone = context.createOscillator();
  const gain = context.createGain();
  tone.type = 'sine';
  tone.frequency.value = 880;
  // Ramps in and out: a tone switched on and off at full level clicks.
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.2, start + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.15);
  tone.connect(gain).connect(context.destination);
  tone.start(start);
  tone.stop(start + 0.16);
}
