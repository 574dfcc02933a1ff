// The busy/try/finally of an action started by the operator: one at a time per element,
// marked busy while it runs, failures reported, never an unhandled rejection.

/**
 * Runs `job` unless `element` is already busy with one: adds class `busy` and aria-busy while
 * it runs, reports a failure through `fail(err)`. Resolves to the job's value, or undefined
 * when it failed or was refused because another was running.
 */
export async function runAction(element, job, fail) {
  if (element.classList.contains('busy')) return undefined;
  element.classList.add('busy');
  element.setAttribute('aria-busy', 'true');
  try {
    return await job();
  } catch (err) {
    fail(err);
    return undefined;
  } finally {
    element.classList.remove('busy');
    element.removeAttribute('aria-busy');
  }
}

/**
 * A queue of jobs run one after another, each after the one asked before it has ended (well or
 * not): returns `inTurn(job)`, which resolves or rejects as `job` does.
 */
export function serialQueue() {
  let queue = Promise.resolve();
  return (job) => {
    const run = queue.then(job, job);
    queue = run.catch(() => {});
    return run;
  };
}
