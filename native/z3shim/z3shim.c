/* Kgent's Z3 shim.
 *
 * The Microsoft.Z3 NuGet package (4.12.2) ships no Linux native library, and Debian bookworm's libz3 (4.8.12)
 * lacks Z3_enable_concurrent_dec_ref, which the managed binding calls on every new context. This library is named
 * libz3.so, placed next to Kgent's assemblies (where .NET looks for "libz3"), and links to Debian's libz3.so.4, so
 * every Z3 symbol it does not define resolves there.
 *
 * It must do more than define that function as a no-op. The managed binding releases native objects from .NET's
 * finalizer thread (Z3_dec_ref and the other *_dec_ref functions) while the program keeps using the context on its
 * own thread; Z3 4.12 makes that safe once concurrent dec-ref is enabled, Z3 4.8 does not, and the race corrupts
 * Z3's reference counts (seen here as a test run spinning forever). So this shim does what Z3 4.12 does: a release
 * requested by any thread other than the one currently using the context is queued, and the queue is drained by the
 * using thread on its next Z3_inc_ref (the binding calls it for every new term). Releases queued for a context that
 * is then deleted are run just before it is deleted (on the deleting thread, which owns the context by then): Z3 4.8
 * frees a context whose terms are still referenced far more slowly than one whose terms were released.
 *
 * Built by scripts/build-z3-shim.sh (called from scripts/setup.sh and from the build).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef void *Z3_context;
typedef void (*release_fn)(Z3_context, void *);
typedef void (*context_fn)(Z3_context);

struct pending_release {
    release_fn release;
    void *object;
};

struct context_state {
    Z3_context context;
    pthread_t user;
    int has_user;
    struct pending_release *pending;
    size_t count;
    size_t capacity;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct context_state *states;
static size_t state_count;
static size_t state_capacity;

static void *real(const char *name)
{
    static void *library;
    if (library == NULL) {
        library = dlopen("libz3.so.4", RTLD_LAZY);
    }
    void *symbol = library == NULL ? NULL : dlsym(library, name);
    if (symbol == NULL) {
        fprintf(stderr, "kgent z3 shim: cannot find %s in libz3.so.4 (%s)\n", name, dlerror());
        abort();
    }
    return symbol;
}

/* Called with the lock held. */
static struct context_state *find_state(Z3_context context, int create)
{
    for (size_t i = 0; i < state_count; i++) {
        if (states[i].context == context) {
            return &states[i];
        }
    }
    if (!create) {
        return NULL;
    }
    if (state_count == state_capacity) {
        size_t capacity = state_capacity == 0 ? 8 : state_capacity * 2;
        struct context_state *grown = realloc(states, capacity * sizeof *grown);
        if (grown == NULL) {
            abort();
        }
        states = grown;
        state_capacity = capacity;
    }
    struct context_state *state = &states[state_count++];
    state->context = context;
    state->has_user = 0;
    state->pending = NULL;
    state->count = 0;
    state->capacity = 0;
    return state;
}

/* The calling thread uses the context from now on: take over its queued releases (run them after unlocking). */
static struct pending_release *claim(Z3_context context, size_t *count)
{
    pthread_mutex_lock(&lock);
    struct context_state *state = find_state(context, 1);
    state->user = pthread_self();
    state->has_user = 1;
    struct pending_release *pending = state->pending;
    *count = state->count;
    state->pending = NULL;
    state->count = 0;
    state->capacity = 0;
    pthread_mutex_unlock(&lock);
    return pending;
}

static void run(Z3_context context, struct pending_release *pending, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        pending[i].release(context, pending[i].object);
    }
    free(pending);
}

void Z3_enable_concurrent_dec_ref(Z3_context context)
{
    size_t count;
    run(context, claim(context, &count), count);
}

void Z3_inc_ref(Z3_context context, void *ast)
{
    static release_fn inc_ref;
    if (inc_ref == NULL) {
        inc_ref = (release_fn)real("Z3_inc_ref");
    }
    size_t count;
    run(context, claim(context, &count), count);
    inc_ref(context, ast);
}

static void release(const char *name, release_fn *cache, Z3_context context, void *object)
{
    if (*cache == NULL) {
        *cache = (release_fn)real(name);
    }
    pthread_mutex_lock(&lock);
    struct context_state *state = find_state(context, 0);
    if (state == NULL) {
        /* The context was deleted (its objects went with it): nothing to release. */
        pthread_mutex_unlock(&lock);
        return;
    }
    if (state->has_user && pthread_equal(state->user, pthread_self())) {
        pthread_mutex_unlock(&lock);
        (*cache)(context, object);
        return;
    }
    if (state->count == state->capacity) {
        size_t capacity = state->capacity == 0 ? 64 : state->capacity * 2;
        struct pending_release *grown = realloc(state->pending, capacity * sizeof *grown);
        if (grown == NULL) {
            abort();
        }
        state->pending = grown;
        state->capacity = capacity;
    }
    state->pending[state->count].release = *cache;
    state->pending[state->count].object = object;
    state->count++;
    pthread_mutex_unlock(&lock);
}

void Z3_del_context(Z3_context context)
{
    static context_fn del_context;
    if (del_context == NULL) {
        del_context = (context_fn)real("Z3_del_context");
    }
    struct pending_release *pending = NULL;
    size_t count = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < state_count; i++) {
        if (states[i].context == context) {
            pending = states[i].pending;
            count = states[i].count;
            states[i] = states[--state_count];
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    /* Run the queued releases first: Z3 4.8's context destructor is quadratic in the depth of terms that are still
     * referenced (a chain of 6,000 additions took 4 s), while releasing them in order frees them at once. */
    run(context, pending, count);
    del_context(context);
}

#define RELEASE(name)                                               \
    void name(Z3_context context, void *object)                     \
    {                                                               \
        static release_fn cache;                                    \
        release(#name, &cache, context, object);                    \
    }

RELEASE(Z3_dec_ref)
RELEASE(Z3_solver_dec_ref)
RELEASE(Z3_model_dec_ref)
RELEASE(Z3_params_dec_ref)
RELEASE(Z3_param_descrs_dec_ref)
RELEASE(Z3_func_interp_dec_ref)
RELEASE(Z3_func_entry_dec_ref)
RELEASE(Z3_ast_vector_dec_ref)
RELEASE(Z3_ast_map_dec_ref)
RELEASE(Z3_goal_dec_ref)
RELEASE(Z3_tactic_dec_ref)
RELEASE(Z3_probe_dec_ref)
RELEASE(Z3_apply_result_dec_ref)
RELEASE(Z3_stats_dec_ref)
RELEASE(Z3_fixedpoint_dec_ref)
RELEASE(Z3_optimize_dec_ref)
