/*
 * The helper threads behind run_task (threads.h): started on first use and kept for the process.
 * A call hands its task to them and works on it itself, then waits only for the helpers that
 * joined it: one that had not woken by the time the calling thread had claimed every part finds
 * the task closed and skips it. (With threads started per call, the calling thread waited in the
 * CLI's runs up to 9 ms for a thread that had not yet run, its core taken, only to find no part
 * left.) One call at a time uses them: a call from another JavaScript thread meanwhile runs on its
 * own thread.
 */
#include <pthread.h>
#include "threads.h"

static struct {
  pthread_mutex_t lock;
  pthread_cond_t wake, left;
  int started;      /* helper threads running */
  unsigned task_id; /* the latest task handed out */
  int slots;        /* helpers that may still join it (0: closed) */
  int inside;       /* helpers working on it */
  int busy;         /* a call is using the helpers */
  int failed;
  Task *task;
} helpers = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0, 0, NULL };

static void *helper_main(void *unused) {
  (void)unused;
  unsigned seen = 0;
  pthread_mutex_lock(&helpers.lock);
  for (;;) {
    while (helpers.task_id == seen || helpers.slots == 0) {
      seen = helpers.task_id; /* a task closed before this helper woke: skipped */
      pthread_cond_wait(&helpers.wake, &helpers.lock);
    }
    seen = helpers.task_id;
    helpers.slots--;
    helpers.inside++;
    Task *task = helpers.task;
    pthread_mutex_unlock(&helpers.lock);
    const int failed = task->work(task);
    pthread_mutex_lock(&helpers.lock);
    if (failed) helpers.failed = 1;
    if (--helpers.inside == 0) pthread_cond_signal(&helpers.left);
  }
  return NULL;
}

int run_task(Task *task, int threads) {
  int want = threads < task->parts ? threads : task->parts;
  if (want > MAX_THREADS) want = MAX_THREADS;
  task->next = 0;
  int shared = 0;
  if (want > 1) {
    pthread_mutex_lock(&helpers.lock);
    if (!helpers.busy) {
      /* A helper that cannot start just leaves its parts to the others. */
      for (pthread_t id; helpers.started < want - 1 && pthread_create(&id, NULL, helper_main, NULL) == 0; helpers.started++) pthread_detach(id);
      shared = helpers.busy = 1;
      helpers.task = task;
      helpers.failed = 0;
      helpers.slots = want - 1;
      helpers.task_id++;
      pthread_cond_broadcast(&helpers.wake);
    }
    pthread_mutex_unlock(&helpers.lock);
  }
  int failed = task->work(task);
  if (shared) {
    pthread_mutex_lock(&helpers.lock);
    helpers.slots = 0; /* closed: a helper not yet in it stays out */
    while (helpers.inside > 0) pthread_cond_wait(&helpers.left, &helpers.lock);
    failed |= helpers.failed;
    helpers.busy = 0;
    helpers.task = NULL;
    pthread_mutex_unlock(&helpers.lock);
  }
  return failed ? -1 : 0;
}
