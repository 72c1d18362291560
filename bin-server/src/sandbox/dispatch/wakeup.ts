/**
 * A sleep that `wake()` ends early. A wake while nobody sleeps is remembered, so the next sleep
 * returns at once: no wake-up is lost between checking for work and going to sleep.
 */
export interface Wakeup {
  sleep(ms: number): Promise<void>;
  wake(): void;
}

export function createWakeup(): Wakeup {
  let pending = false;
  let resolveSleep: (() => void) | undefined;
  return {
    sleep(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, ms));
        function done() {
          clearTimeout(timer);
          resolveSleep = undefined;
          pending = false;
          resolve();
        }
        resolveSleep = done;
      });
    },
    wake() {
      if (resolveSleep) resolveSleep();
      else pending = true;
    },
  };
}
