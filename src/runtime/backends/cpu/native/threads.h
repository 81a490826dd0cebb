/*
 * Work shared among threads: a task is cut into parts (bands of rows, strips of pixels), and the
 * calling thread and helper threads kept for the process each claim the next part until none is
 * left. Which thread does a part never changes a result: every kernel writes each part's output
 * from that part alone, or adds parts up afterwards in a fixed order.
 */
#ifndef DISCO_THREADS_H
#define DISCO_THREADS_H

/* The most threads a task uses. */
#define MAX_THREADS 16

typedef struct Task Task;
struct Task {
  /* Claims parts with claim_part until it gets -1, working on each: 0, or -1 when out of memory.
   * Scratch memory is the function's own (allocated per call, so per thread). */
  int (*work)(Task *task);
  int parts;
  int next; /* the next part not yet claimed (atomic) */
};

/* The next unclaimed part of `task`, or -1 when all are claimed. */
static inline int claim_part(Task *task) {
  const int part = __atomic_fetch_add(&task->next, 1, __ATOMIC_RELAXED);
  return part < task->parts ? part : -1;
}

/* Runs `task` on up to `threads` threads (this one and helpers): 0, or -1 when out of memory. */
int run_task(Task *task, int threads);

#endif
