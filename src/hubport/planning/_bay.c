/*
 * The search core of hubport's yard optimisers: block relocation (BRP) and
 * pre-marshalling (CPMP) on one bay.  Pure computation, no I/O.
 *
 * A bay has S stacks of at most H boxes.  Boxes carry a priority 1..254; a smaller value
 * leaves earlier.  Stack k, level 0 is the ground.  mn[s][k] is the smallest priority
 * among the k lowest boxes of stack s (255 for none), so a box at level k "blocks" when
 * it is larger than mn[s][k].
 *
 * BRP exact search: iterative-deepening A*.  The restricted variant keeps a transposition
 * table of learned lower bounds between iterations; the unrestricted variant cuts
 * equivalent plans by dominance rules instead (see udfs) and adds the layers bound (see
 * layers_bound).  The bound is the blocking count plus "the walk" (see
 * walk() below): through the targets in order, the boxes dug out above each one that cannot
 * land without blocking again, whatever the choices, each cost one more relocation; the
 * unrestricted variant lets spare unbounded stacks stand in for minima raised by moves of
 * non-blocking boxes, at one move each.  In the restricted variant, a node the walk does not
 * prune gets the carried walk (see carried()), which also follows where the dug-out boxes
 * land and so sees them lower the stacks they are set on.  Each iteration that ends
 * without a solution proves its threshold; an iteration that finds one proves it optimal.
 * A rollout heuristic gives
 * the first upper bound.  Each iteration starts with a probe: the same depth-first search
 * with the children tried lowest bound first, on a small budget of work.  It finds the
 * plan of the last iteration in a fraction of the nodes, but costs more per node, so an
 * iteration it cannot settle is left to the plain search.  When the plain search needs
 * more than a few million nodes, a beam search ranked by relocations + bound (see
 * brp_beam) spends up to BEAM_SHARE of the time on better plans first.
 *
 * CPMP: see _cpmp.h.
 *
 * _debug(flags) switches parts off for the tests that cross-check them: 1 = blocking count
 * only as the bound, 2 = no table pruning, 4 = no probe, 8 = no plan shortening (CPMP),
 * 16 = the beam search at the first pass that needs more than the probe, 32 = no beam,
 * 64 = trace the iterations (BRP) and the beam widths (CPMP) on stderr, 128 = no
 * carried walk (the plain walk only), 256 = no dominance rules, 512 = the table's search for the unrestricted variant too,
 * 1024 = no layers bound, 2048 = the simple CPMP bound only (no demand/supply),
 * 4096 = no CPMP beams ranked by greedy completion, 8192 = no CPMP beams ranked by bound
 * past the incumbent, 16384 = no search from part-way along the plan (CPMP).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <limits.h>
#include <stdio.h>

#define MAXS 32
#define MAXH 32
#define INF 255
#define MAXMOVES 4096

typedef struct {
    int S, H;
    int h[MAXS];
    uint8_t c[MAXS][MAXH];
    uint8_t mn[MAXS][MAXH + 1];
    int blocking;
    int left;            /* boxes still in the bay */
    uint64_t hs[MAXS];   /* per-stack hash, kept up to date by push and pop */
    uint8_t lvl[256];    /* level of each box in its stack */
} Bay;

typedef struct {
    uint8_t op; /* 0 relocate, 1 retrieve */
    uint8_t from, to;
} Move;

static uint64_t Z[MAXH][256];
static int debug_flags = 0; /* see the top of the file */
static int z_ready = 0;

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 33)) * 0xff51afd7ed558ccdULL;
    z = (z ^ (z >> 33)) * 0xc4ceb9fe1a85ec53ULL;
    return z ^ (z >> 33);
}

static void init_z(void)
{
    if (z_ready)
        return;
    uint64_t seed = 0x6875627075727421ULL;
    for (int k = 0; k < MAXH; k++)
        for (int b = 0; b < 256; b++)
            Z[k][b] = splitmix(&seed);
    z_ready = 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline uint8_t stack_min(const Bay *b, int s) { return b->mn[s][b->h[s]]; }
static inline uint8_t top(const Bay *b, int s) { return b->c[s][b->h[s] - 1]; }

static inline void push(Bay *b, int s, uint8_t x)
{
    int k = b->h[s];
    uint8_t m = b->mn[s][k];
    b->c[s][k] = x;
    b->mn[s][k + 1] = x < m ? x : m;
    b->blocking += x > m;
    b->h[s] = k + 1;
    b->left++;
    b->hs[s] ^= Z[k][x];
    b->lvl[x] = (uint8_t)k;
}

static inline uint8_t pop(Bay *b, int s)
{
    int k = --b->h[s];
    uint8_t x = b->c[s][k];
    b->blocking -= x > b->mn[s][k];
    b->left--;
    b->hs[s] ^= Z[k][x];
    return x;
}

/* Stacks are interchangeable, so the key of a bay is a multiset hash of its stacks. */
static void bay_key(const Bay *b, uint64_t *k1, uint64_t *k2)
{
    uint64_t a = 0, c = 0;
    for (int s = 0; s < b->S; s++) {
        uint64_t x = (0x1234567ULL + (uint64_t)b->h[s]) ^ b->hs[s];
        a += mix(x);
        c += mix(x ^ 0xA5A5A5A5DEADBEEFULL) * 3ULL + 1ULL;
    }
    *k1 = a;
    *k2 = c;
}

/* ------------------------------------------------------------------------------------ */
/* Transposition table                                                                   */

typedef struct {
    uint64_t k1, k2;
    uint16_t g;
    uint16_t h;
    uint32_t iter;
} Entry;

typedef struct {
    Entry *e;
    uint64_t mask;
} Table;

static int table_init(Table *t, int bits)
{
    t->e = calloc((size_t)1 << bits, sizeof(Entry));
    t->mask = ((uint64_t)1 << bits) - 1;
    return t->e != NULL;
}

static Entry *table_probe(Table *t, uint64_t k1, uint64_t k2, int *found)
{
    Entry *e = &t->e[k1 & t->mask];
    Entry *f = &t->e[(k1 ^ (k2 >> 7) ^ 1) & t->mask];
    if (e->k1 == k1 && e->k2 == k2) {
        *found = 1;
        return e;
    }
    if (f->k1 == k1 && f->k2 == k2) {
        *found = 1;
        return f;
    }
    *found = 0;
    /* replace the entry of an older iteration or the shallower one */
    if (e->iter != f->iter)
        return e->iter < f->iter ? e : f;
    return e->g >= f->g ? e : f;
}

/* ------------------------------------------------------------------------------------ */
/* BRP                                                                                   */

typedef struct {
    Bay bay;
    int restricted;
    int next;               /* next priority to retrieve */
    int where[256];         /* stack of each box still in the bay */
    Move path[MAXMOVES];
    int plen;
    Move best[MAXMOVES];
    int blen;
    int best_cost;          /* relocations in best[] (or a large number) */
    Table table;
    uint32_t iter;
    double deadline;
    long nodes;
    long work;              /* nodes entered, child bounds computed to order moves and
                               nodes of the carried walk's searches */
    long clock_at;          /* work at which the clock is read next */
    long carry_nodes;       /* node limit of one carried walk */
    int carry_slack;        /* it runs only where the plain walk leaves less room than this */
    long work_limit;        /* the probe stops past this */
    int ordered;            /* 1 during the probe: children tried lowest bound first */
    int timed_out;
    /* the unrestricted search's history (see udfs): times count relocations from 1 */
    int chg[MAXS];          /* time of each stack's last change (0 = none yet) */
    uint8_t chg_kind[MAXS]; /* what it was: CH_OUT, CH_IN or CH_RETRIEVE */
    int t_out[MAXS];        /* time of each stack's last move out */
    int t_in[MAXS];         /* time of each stack's last move in */
    int lt[256];            /* time of each box's last relocation (0 = never moved) */
    uint8_t src_at[MAXMOVES];  /* source stack of the relocation at each time */
    uint8_t good_at[MAXMOVES]; /* 1 when that box blocked nothing where it left */
    uint64_t path_keys[MAXMOVES][2]; /* bay keys along the unrestricted search's path */
    int use_rules;          /* 1: the unrestricted search with dominance rules (udfs) */
} Brp;

/* Retrieve every target that lies on top; returns how many were taken. */
static int retrieve_ready(Brp *p)
{
    int n = 0;
    while (p->bay.left > 0) {
        int s = p->where[p->next];
        if (top(&p->bay, s) != p->next)
            break;
        pop(&p->bay, s);
        p->path[p->plen++] = (Move){1, (uint8_t)s, 0};
        p->next++;
        n++;
    }
    return n;
}

/* Relocate the top box x of stack s to stack d and log the move. */
static void relocate(Brp *p, int s, int d, uint8_t x)
{
    pop(&p->bay, s);
    push(&p->bay, d, x);
    p->where[x] = d;
    p->path[p->plen++] = (Move){0, (uint8_t)s, (uint8_t)d};
}

/* Take back every logged move after position `start`. */
static void undo_to(Brp *p, int start)
{
    while (p->plen > start) {
        Move m = p->path[--p->plen];
        if (m.op == 1) {
            p->next--;
            push(&p->bay, m.from, (uint8_t)p->next);
        } else {
            uint8_t x = pop(&p->bay, m.to);
            push(&p->bay, m.from, x);
            p->where[x] = m.from;
        }
    }
}

static void unretrieve(Brp *p, int n)
{
    while (n-- > 0) {
        Move m = p->path[--p->plen];
        p->next--;
        push(&p->bay, m.from, (uint8_t)p->next);
    }
}

/* Most boxes of xs[i..nx) (taken in order) that can be set down without blocking, on
 * stacks whose minima are mins[0..n).  A box set down goes best-fit (the smallest minimum
 * above it); the only real choice is whether to set it down well or spend it, so this
 * branches on that, with the count still possible as the prune. */
static void most_placed(const uint8_t *xs, int i, int nx, uint8_t *mins, int n, int placed,
                        int *best)
{
    if (placed + (nx - i) <= *best)
        return;
    if (i == nx) {
        *best = placed;
        return;
    }
    uint8_t x = xs[i];
    int bi = -1;
    for (int j = 0; j < n; j++)
        if (mins[j] > x && (bi < 0 || mins[j] < mins[bi]))
            bi = j;
    if (bi >= 0) {
        uint8_t m = mins[bi];
        mins[bi] = x;
        most_placed(xs, i + 1, nx, mins, n, placed + 1, best);
        mins[bi] = m;
    }
    most_placed(xs, i + 1, nx, mins, n, placed, best);
}

/* Fewest boxes of the sequence xs that must land blocking when the available stacks have
 * the minima mins[0..n). */
static int failures(const uint8_t *xs, int nx, uint8_t *mins, int n)
{
    if (nx == 1) {
        for (int j = 0; j < n; j++)
            if (mins[j] > xs[0])
                return 0;
        return 1;
    }
    int best = -1;
    most_placed(xs, 0, nx, mins, n, 0, &best);
    return nx - best;
}

/* The walk.  Go through the targets in order on a copy of the stack heights: the boxes
 * above each target (of the original stack, the only ones the walk can know) are dug out
 * and leave the walk; those that cannot land without blocking, whatever the choices, cost
 * one more relocation each.  Stacks only lose their top segment in the walk, so a stack's
 * minimum is a prefix minimum, and the walk's minima are never below the real ones: a box
 * leaving a stack early lowers nothing, and only a move of a non-blocking box (the minimum)
 * can raise one.
 *
 * Restricted: no box leaves a stack before its own dig-out, and a full stack stays full
 * until then, so the walk's count is a bound as it stands.
 * Unrestricted: `spare` stacks with no minimum stand in for stacks whose minimum was raised,
 * one non-blocking move each, and full stacks count as open (they may lose boxes). */
static int walk(const Brp *p, int spare, int cap, int *fails)
{
    const Bay *b = &p->bay;
    int sh[MAXS];
    for (int j = 0; j < b->S; j++)
        sh[j] = b->h[j];
    int extra = 0;
    for (int t = p->next; t <= 254; t++) {
        int s = p->where[t];
        if (s < 0)
            break;
        int pos = b->lvl[t];
        if (pos >= sh[s])
            continue; /* dug out earlier in the walk */
        uint8_t xs[MAXH];
        int nx = 0;
        for (int k = sh[s] - 1; k > pos; k--)
            xs[nx++] = b->c[s][k];
        if (nx > 0) {
            uint8_t mins[2 * MAXS];
            int n = 0;
            for (int j = 0; j < b->S; j++)
                if (j != s && (!p->restricted || sh[j] < b->H))
                    mins[n++] = b->mn[j][sh[j]];
            for (int i = 0; i < spare; i++)
                mins[n++] = INF;
            int f = failures(xs, nx, mins, n);
            extra += f;
            if (fails)
                fails[t] = f;
            if (extra > cap)
                return extra; /* enough to prune: the rest of the walk only adds */
        }
        sh[s] = pos;
    }
    return extra;
}

/* The carried walk (restricted variant).  The walk forgets where the boxes it digs out
 * land; this one keeps them.  Going through the targets in order, each box dug out (top
 * first) is either set down well on a stack whose minimum is above it, which lowers that
 * stack's minimum until the box leaves in its turn, or spent: it lands blocking and costs
 * one more relocation, and the walk forgets it.  The fewest boxes spent over all these
 * choices is a bound: a real plan sets down each box where the carried walk could too (the
 * walk's stacks hold a subset of the real ones: the original boxes left and those set down
 * well), so the plan spends at least as many.  Heights count in the same way: the real stack
 * is never lower.  A depth-first search over the choices finds whether `cap` spent boxes are
 * enough, pruned at each dig-out by that dig-out's count on the carried stacks plus the
 * plain walk's counts after it.  Past CARRY_NODES nodes the search gives up and the plain
 * walk stands: a search of a few hundred nodes costs as much as thousands of plain nodes,
 * and on the hard 5-x and 6-10 bays limits of 60 to 120 proved the most. */
#define CARRY_NODES_DEFAULT 100
#define CARRY_SLACK 4
#define ROOT_CARRY_RATE 5000 /* carried-walk nodes per second of time limit at the root */
#define ROOT_SHARE 0.05      /* of the time limit, at most, for the root bound */
static int CARRY_NODES = CARRY_NODES_DEFAULT; /* _debug(flags | n << 16) sets it to n */

typedef struct {
    const Brp *p;
    int cap;              /* boxes that may be spent */
    int over;             /* smallest spent + bound seen above cap */
    long nodes;           /* dig-outs searched */
    long steps;           /* boxes set down or spent */
    uint8_t sh[MAXS];     /* original boxes left per stack */
    uint8_t pc[MAXS];     /* boxes set down well on top of them */
    uint8_t pv[MAXS][MAXH];
    uint8_t gone[256];    /* 1 set down well (on stack pst), 2 spent */
    uint8_t pst[256];
    int later[257];       /* the plain walk's failures at targets >= t, for each t */
} Carry;

static inline uint8_t carry_min(const Carry *c, int d, const uint8_t *sh, const uint8_t *pc)
{
    uint8_t m = c->p->bay.mn[d][sh[d]];
    if (pc[d] && c->pv[d][pc[d] - 1] < m)
        m = c->pv[d][pc[d] - 1];
    return m;
}

/* A bound on the boxes still to spend from the dig-out of target t (out of stack s, from
 * level pos up): that dig-out counted on the carried stacks, the later ones as the plain
 * walk counted them (the carried stacks are never better for them). */
static int carry_bound(const Carry *c, int t, int s, int pos)
{
    const Bay *b = &c->p->bay;
    uint8_t xs[MAXH], mins[MAXS];
    int nx = 0, n = 0;
    for (int k = c->sh[s] - 1; k > pos; k--)
        xs[nx++] = b->c[s][k];
    for (int j = 0; j < b->S; j++)
        if (j != s && c->sh[j] + c->pc[j] < b->H)
            mins[n++] = carry_min(c, j, c->sh, c->pc);
    return failures(xs, nx, mins, n) + c->later[t + 1];
}

static int carry_search(Carry *c, int t, int spent);

/* Boxes xs[i..nx) dug out of stack s for target t: each set down well or spent. */
static int carry_place(Carry *c, int t, const uint8_t *xs, int i, int nx, int s, int spent)
{
    if (spent > c->cap) {
        if (spent < c->over)
            c->over = spent;
        return 0;
    }
    if (i == nx)
        return carry_search(c, t + 1, spent);
    /* (a dig-out may branch widely: the clock is read here too) */
    if ((++c->steps & 255) == 0 && now() > c->p->deadline)
        return 1; /* out of time: the caller keeps the plain walk */
    const Bay *b = &c->p->bay;
    uint8_t x = xs[i];
    int ds[MAXS], nd = 0, empty_seen = 0;
    for (int d = 0; d < b->S; d++)
        if (d != s && c->sh[d] + c->pc[d] < b->H && carry_min(c, d, c->sh, c->pc) > x) {
            if (c->sh[d] + c->pc[d] == 0) {
                if (empty_seen)
                    continue; /* empty stacks are alike */
                empty_seen = 1;
            }
            /* tightest fit first (insertion, nd is small) */
            int k = nd++;
            uint8_t m = carry_min(c, d, c->sh, c->pc);
            while (k > 0 && carry_min(c, ds[k - 1], c->sh, c->pc) > m) {
                ds[k] = ds[k - 1];
                k--;
            }
            ds[k] = d;
        }
    for (int k = 0; k < nd; k++) {
        int d = ds[k];
        c->pv[d][c->pc[d]++] = x;
        c->gone[x] = 1;
        c->pst[x] = (uint8_t)d;
        int r = carry_place(c, t, xs, i + 1, nx, s, spent);
        c->pc[d]--;
        c->gone[x] = 0;
        if (r)
            return 1;
    }
    c->gone[x] = 2;
    int r = carry_place(c, t, xs, i + 1, nx, s, spent + 1);
    c->gone[x] = 0;
    return r;
}

/* From target t: retrieve what lies on top, then dig out the next target.  Returns 1 when
 * the targets can all be reached spending at most cap boxes (or the search gave up). */
static int carry_search(Carry *c, int t, int spent)
{
    const Brp *p = c->p;
    const Bay *b = &p->bay;
    int log[256], nlog = 0, result = 1;
    for (; t <= 254; t++) {
        int s = p->where[t];
        if (s < 0)
            goto done; /* every target reached */
        if (c->gone[t] == 2)
            continue;
        if (c->gone[t] == 1) {
            c->pc[c->pst[t]]--;
            log[nlog++] = -t;
            continue;
        }
        int pos = b->lvl[t];
        if (pos < c->sh[s] - 1)
            break;
        log[nlog++] = (s << 8) | c->sh[s];
        c->sh[s] = (uint8_t)pos;
    }
    if (t > 254)
        goto done;
    int lb = carry_bound(c, t, p->where[t], b->lvl[t]);
    if (spent + lb > c->cap) {
        if (spent + lb < c->over)
            c->over = spent + lb;
        result = 0;
        goto done;
    }
    if (++c->nodes > c->p->carry_nodes)
        goto done; /* given up: the caller keeps the plain walk */
    {
        int s = p->where[t], pos = b->lvl[t], old = c->sh[s];
        uint8_t xs[MAXH];
        int nx = 0;
        for (int k = old - 1; k > pos; k--)
            xs[nx++] = b->c[s][k];
        c->sh[s] = (uint8_t)pos;
        result = carry_place(c, t, xs, 0, nx, s, spent);
        c->sh[s] = (uint8_t)old;
    }
done:
    while (nlog > 0) {
        int e = log[--nlog];
        if (e < 0) {
            int u = -e, d = c->pst[u];
            c->pv[d][c->pc[d]++] = (uint8_t)u;
        } else
            c->sh[e >> 8] = (uint8_t)(e & 255);
    }
    return result;
}

/* The carried walk's count when it exceeds `room`, else `walked` (the plain walk's, whose
 * count at each target is `fails`). */
static int carried(const Brp *p, int room, int walked, const int *fails)
{
    Carry c;
    c.p = p;
    c.cap = room;
    c.over = 1 << 20;
    c.nodes = 0;
    c.steps = 0;
    for (int j = 0; j < p->bay.S; j++) {
        c.sh[j] = (uint8_t)p->bay.h[j];
        c.pc[j] = 0;
    }
    memset(c.gone, 0, sizeof c.gone);
    c.later[256] = 0;
    for (int t = 255; t >= 0; t--)
        c.later[t] = c.later[t + 1] + fails[t];
    int more = !carry_search(&c, p->next, 0);
    ((Brp *)p)->work += c.nodes + c.steps / 16; /* the effort counts towards the clock and
                                                   the budgets */
    return more ? c.over : walked;
}

/* The layers bound (unrestricted), after Tanaka's LB-TS as Jin & Tanaka (2023) use it.  On
 * a copy of the heights, settle the bay: take out the smallest box while it lies on top,
 * and every blocking top box that could be set down well on some open stack (each is
 * already one of the blocking count).  When nothing settles, whatever move comes next
 * either moves a box that blocks nothing or sets a blocking one down blocking again: one
 * relocation more than the blocking count.  Pretend it lifts every stack's top box at once,
 * and settle again.  The count stops growing when a stack empties (it could then take any
 * box), so a bay with an empty stack gets the blocking count alone. */
static int layers_bound(const Bay *b, int cap)
{
    int S = b->S, h[MAXS];
    int remain = b->blocking, k = 0;
    if (remain == 0)
        return 0;
    for (int s = 0; s < S; s++)
        if ((h[s] = b->h[s]) == 0)
            return remain;
    for (;;) {
        for (int changed = 1; changed;) {
            changed = 0;
            int qmin = 256, qmax = 0;
            for (int s = 0; s < S; s++) {
                int m = b->mn[s][h[s]];
                if (m < qmin)
                    qmin = m;
                if (h[s] < b->H && m > qmax)
                    qmax = m;
            }
            for (int s = 0; s < S; s++) {
                while (h[s] > 0) {
                    uint8_t x = b->c[s][h[s] - 1];
                    if (x == qmin) {
                        if (--h[s] == 0)
                            return b->blocking + k;
                        qmin = 256;
                        for (int j = 0; j < S; j++)
                            if (b->mn[j][h[j]] < qmin)
                                qmin = b->mn[j][h[j]];
                        if (b->mn[s][h[s]] > qmax)
                            qmax = b->mn[s][h[s]];
                    } else if (x > b->mn[s][h[s] - 1] && x < qmax) {
                        if (--remain == 0 || --h[s] == 0)
                            return b->blocking + k;
                    } else
                        break;
                    changed = 1;
                }
            }
        }
        if (++k > cap)
            return b->blocking + k;
        for (int s = 0; s < S; s++) {
            if (b->c[s][h[s] - 1] > b->mn[s][h[s] - 1] && --remain == 0)
                return b->blocking + k;
            if (--h[s] == 0)
                return b->blocking + k;
        }
    }
}

/* The bound at the current bay; computing may stop once it exceeds `cap` (the result is
 * then still a bound, just not the whole of it). */
static int brp_bound(const Brp *p, int cap)
{
    const Bay *b = &p->bay;
    if (b->left == 0)
        return 0;
    if (debug_flags & 1)
        return b->blocking;
    int room = cap - b->blocking;
    /* the layers bound is the cheaper one: where it prunes, the walk is not needed */
    int layers = 0;
    if (!p->restricted && !(debug_flags & 1024)) {
        layers = layers_bound(b, room);
        if (layers > cap)
            return layers;
    }
    /* (the carried walk rarely finds more than a few boxes the plain walk missed: where the
     * room is wider, it would only spend its nodes finding that it cannot prune) */
    int carry = p->restricted && !(debug_flags & 128);
    int fails[256];
    if (carry)
        memset(fails, 0, sizeof fails);
    int extra = walk(p, 0, room, carry ? fails : NULL);
    if (carry && extra <= room && room - extra < p->carry_slack)
        extra = carried(p, room, extra, fails);
    if (!p->restricted) {
        for (int k = 1; k < extra && k < MAXS; k++) {
            int f = walk(p, k, extra - k, NULL);
            if (k + f < extra)
                extra = k + f;
            if (f == 0)
                break;
        }
        if (layers > b->blocking + extra)
            return layers;
    }
    return b->blocking + extra;
}

/* The whole bound, not just enough of it to prune: raised while the search behind it can
 * prove more (the carried walk answers "more than cap?"), its searches allowed
 * `carry_nodes` nodes each (the root is worth more than a node of the search), until the
 * clock passes `until`. */
static int brp_full_bound(Brp *p, long carry_nodes, double until)
{
    int nret = retrieve_ready(p);
    int h = 0;
    long limit = p->carry_nodes;
    int slack = p->carry_slack;
    p->carry_nodes = carry_nodes;
    p->carry_slack = 1 << 20;
    if (p->bay.left) {
        h = brp_bound(p, 1 << 20);
        for (int more; now() < until && (more = brp_bound(p, h)) > h;)
            h = more;
    }
    p->carry_nodes = limit;
    p->carry_slack = slack;
    unretrieve(p, nret);
    return h;
}

/* ---- rollout heuristic ---- */

/* Where the greedy rule puts box x taken from stack s: the stack whose minimum is the
 * smallest one above x (x blocks nothing there), otherwise the stack with the largest
 * minimum.  Ties go to the lower stack. */
static int greedy_dest(const Bay *b, int s, uint8_t x)
{
    int good = -1, bad = -1;
    for (int j = 0; j < b->S; j++) {
        if (j == s || b->h[j] >= b->H)
            continue;
        uint8_t m = stack_min(b, j);
        if (m > x) {
            if (good < 0 || m < stack_min(b, good) ||
                (m == stack_min(b, good) && b->h[j] < b->h[good]))
                good = j;
        } else if (bad < 0 || m > stack_min(b, bad) ||
                   (m == stack_min(b, bad) && b->h[j] < b->h[bad])) {
            bad = j;
        }
    }
    return good >= 0 ? good : bad;
}

/* Complete the retrieval greedily from the current state; restores the state.  Returns
 * the relocations needed, or -1 when stuck.  When out != NULL, appends the moves. */
static int greedy_finish(Brp *p, Move *out, int *olen)
{
    int start = p->plen, relocs = 0, stuck = 0;
    for (;;) {
        retrieve_ready(p);
        if (p->bay.left == 0)
            break;
        int s = p->where[p->next];
        uint8_t x = top(&p->bay, s);
        int d = greedy_dest(&p->bay, s, x);
        if (d < 0 || p->plen >= MAXMOVES - 2) {
            stuck = 1;
            break;
        }
        relocate(p, s, d, x);
        relocs++;
    }
    if (out && !stuck) {
        memcpy(out + *olen, p->path + start, sizeof(Move) * (size_t)(p->plen - start));
        *olen += p->plen - start;
    }
    undo_to(p, start);
    return stuck ? -1 : relocs;
}

/* Pilot method: at each relocation try every destination, finish greedily, keep the
 * best.  Fills p->best. */
static void rollout(Brp *p)
{
    int start = p->plen, relocs = 0;
    for (;;) {
        retrieve_ready(p);
        if (p->bay.left == 0)
            break;
        int s = p->where[p->next];
        uint8_t x = top(&p->bay, s);
        int bestd = -1, bestv = 1 << 30;
        for (int d = 0; d < p->bay.S; d++) {
            if (d == s || p->bay.h[d] >= p->bay.H)
                continue;
            relocate(p, s, d, x);
            int v = greedy_finish(p, NULL, NULL);
            undo_to(p, p->plen - 1);
            if (v >= 0 && v < bestv) {
                bestv = v;
                bestd = d;
            }
        }
        if (bestd < 0 || p->plen >= MAXMOVES - 2) {
            relocs = -1;
            break;
        }
        relocate(p, s, bestd, x);
        relocs++;
    }
    if (relocs >= 0 && relocs < p->best_cost) {
        p->best_cost = relocs;
        p->blen = p->plen - start;
        memcpy(p->best, p->path + start, sizeof(Move) * (size_t)p->blen);
    }
    undo_to(p, start);
}

/* ---- beam search (upper bounds for the hard cases) ---- */

/* A level's set of bay keys (open addressing, `size` a power of two above the count):
 * adds `key` and returns 1 when it is new, 0 when the level already has it. */
static int seen_first(uint64_t *seen, int size, uint64_t key)
{
    key |= 1; /* 0 marks a free slot */
    size_t slot = (size_t)(key & (uint64_t)(size - 1));
    while (seen[slot]) {
        if (seen[slot] == key)
            return 0;
        slot = (slot + 1) & (size_t)(size - 1);
    }
    seen[slot] = key;
    return 1;
}

/* A node of the beam is a chain of moves back to the root, kept in a trail. */
typedef struct {
    int parent;
    uint8_t from, to;
} Step;

typedef struct {
    int parent;   /* trail index of the node expanded, -1 for the root */
    uint8_t from, to;
    int f;        /* relocations so far + the bound */
    int score;    /* relocations so far + the greedy finish */
    uint64_t key;
} BeamChild;

static int beam_child_cmp(const void *x, const void *y)
{
    const BeamChild *a = x, *b = y;
    if (a->f != b->f)
        return a->f - b->f;
    if (a->score != b->score)
        return a->score - b->score;
    return a->key < b->key ? -1 : a->key > b->key;
}

/* Replay the chain ending at trail index `id` from the root (retrievals included);
 * returns its relocations. */
static int beam_replay(Brp *p, const Step *trail, int id)
{
    uint8_t from[MAXMOVES], to[MAXMOVES];
    int n = 0;
    for (int k = id; k >= 0 && n < MAXMOVES; k = trail[k].parent) {
        from[n] = trail[k].from;
        to[n] = trail[k].to;
        n++;
    }
    retrieve_ready(p);
    for (int i = n - 1; i >= 0; i--) {
        relocate(p, from[i], to[i], top(&p->bay, from[i]));
        retrieve_ready(p);
    }
    return n;
}

static int destinations(const Bay *b, int from, uint8_t x, int *out);

/* Beam search of the given width, for better plans than the rollout's.  Every child is
 * ranked by relocations + bound, then by relocations + greedy finish; the greedy finish
 * also yields complete plans (kept in p->best when better).  The `width` best children of
 * each level, one per bay, are expanded; children whose bound cannot beat the best plan
 * are dropped.  Unrestricted, any top box may move.  Returns 0, or -1 when out of memory. */
static int brp_beam(Brp *p, int width, double deadline)
{
    int S = p->bay.S, start = p->plen;
    int cap = width * S * S + 1;
    BeamChild *kids = malloc(sizeof(BeamChild) * (size_t)cap);
    int *level = malloc(sizeof(int) * (size_t)width);
    int tcap = 1 << 12, tn = 0;
    Step *trail = malloc(sizeof(Step) * (size_t)tcap);
    int seen_size = 64;
    while (seen_size < 4 * width)
        seen_size *= 2;
    uint64_t *seen = malloc(sizeof(uint64_t) * (size_t)seen_size);
    int ok = kids && level && trail && seen;
    int nlevel = 1;
    if (ok)
        level[0] = -1;
    while (ok && nlevel > 0 && now() < deadline) {
        int nk = 0;
        for (int i = 0; i < nlevel && now() < deadline; i++) {
            int g = beam_replay(p, trail, level[i]);
            Bay *b = &p->bay;
            /* (plans longer than half the move log are not followed: the log must hold
             * the replay, the child and its greedy finish) */
            if (b->left > 0 && g + 1 < p->best_cost && p->plen < MAXMOVES / 2) {
                int s = p->where[p->next];
                for (int from = 0; from < S && now() < deadline; from++) {
                    if (b->h[from] == 0 || (from != s && p->restricted))
                        continue;
                    uint8_t x = top(b, from);
                    int dest[MAXS], nd = destinations(b, from, x, dest);
                    for (int di = 0; di < nd; di++) {
                        int d = dest[di];
                        int mark = p->plen;
                        relocate(p, from, d, x);
                        retrieve_ready(p);
                        /* children that cannot beat the best plan are dropped unscored */
                        int f = g + 1 + (p->bay.left ? brp_bound(p, p->best_cost - g - 2) : 0);
                        int v = f < p->best_cost ? greedy_finish(p, NULL, NULL) : -1;
                        if (v >= 0 && g + 1 + v < p->best_cost) {
                            p->best_cost = g + 1 + v;
                            p->blen = p->plen - start;
                            memcpy(p->best, p->path + start, sizeof(Move) * (size_t)p->blen);
                            greedy_finish(p, p->best, &p->blen);
                        }
                        if (v >= 0 && p->bay.left > 0 && f < p->best_cost) {
                            uint64_t k1, k2;
                            bay_key(&p->bay, &k1, &k2);
                            kids[nk++] = (BeamChild){level[i], (uint8_t)from, (uint8_t)d, f,
                                                     g + 1 + v, k1};
                        }
                        undo_to(p, mark);
                    }
                }
            }
            undo_to(p, start);
        }
        if (now() >= deadline)
            break; /* (sorting a large level would overrun the deadline for nothing) */
        qsort(kids, (size_t)nk, sizeof(BeamChild), beam_child_cmp);
        memset(seen, 0, sizeof(uint64_t) * (size_t)seen_size);
        int nn = 0;
        for (int i = 0; i < nk && nn < width; i++) {
            if (!seen_first(seen, seen_size, kids[i].key))
                continue;
            if (tn == tcap) {
                Step *t = realloc(trail, sizeof(Step) * (size_t)(tcap * 2));
                if (!t) {
                    ok = 0;
                    break;
                }
                trail = t;
                tcap *= 2;
            }
            trail[tn] = (Step){kids[i].parent, kids[i].from, kids[i].to};
            level[nn++] = tn++;
        }
        nlevel = nn;
    }
    free(kids);
    free(level);
    free(trail);
    free(seen);
    return ok ? 0 : -1;
}

/* ---- IDA* ---- */

#define FOUND (-1)

static int dfs(Brp *p, int g, int threshold);

static int try_move(Brp *p, int g, int threshold, int from, int to)
{
    relocate(p, from, to, top(&p->bay, from));
    int r = dfs(p, g + 1, threshold);
    if (r == FOUND)
        return FOUND;
    undo_to(p, p->plen - 1);
    return r;
}

/* Destinations worth trying for box x leaving stack `from`, best first; stacks with the
 * same content are tried once. */
static int destinations(const Bay *b, int from, uint8_t x, int *out)
{
    int n = 0;
    int empty_seen = 0;
    for (int j = 0; j < b->S; j++) {
        if (j == from || b->h[j] >= b->H)
            continue;
        if (b->h[j] == 0) {
            if (empty_seen)
                continue;
            empty_seen = 1;
        }
        out[n++] = j;
    }
    /* order: non-blocking first with the tightest fit, then blocking with the largest
     * minimum (insertion sort, n is small) */
    for (int i = 1; i < n; i++) {
        int v = out[i], k = i;
        while (k > 0) {
            int u = out[k - 1];
            uint8_t mu = stack_min(b, u), mv = stack_min(b, v);
            int gu = mu > x, gv = mv > x;
            int better = gv != gu ? gv > gu : (gv ? mv < mu : mv > mu);
            if (!better)
                break;
            out[k] = u;
            k--;
        }
        out[k] = v;
    }
    return n;
}

typedef struct {
    int h, seq;
    uint8_t from, to;
} Cand;

static int cand_cmp(const void *x, const void *y)
{
    const Cand *a = x, *b = y;
    return a->h != b->h ? a->h - b->h : a->seq - b->seq;
}

/* Try the moves of the top boxes of stacks froms[0..nfrom), the children with the lowest
 * bound first (ties keep the order of `destinations`).  Children whose bound already
 * exceeds the threshold are not entered; *best gets the smallest f seen. */
static int try_ordered(Brp *p, int g, int threshold, const int *froms, int nfrom, int *best)
{
    Bay *b = &p->bay;
    Cand cand[MAXS * MAXS];
    int nm = 0, dest[MAXS];
    for (int oi = 0; oi < nfrom; oi++) {
        int from = froms[oi];
        uint8_t x = top(b, from);
        int n = destinations(b, from, x, dest);
        for (int i = 0; i < n; i++) {
            relocate(p, from, dest[i], x);
            int nr = retrieve_ready(p);
            int hb = 0;
            if (b->left) {
                uint64_t c1, c2;
                int hit;
                bay_key(b, &c1, &c2);
                Entry *ce = table_probe(&p->table, c1, c2, &hit);
                if (hit && g + 1 + ce->h > threshold)
                    hb = ce->h;
                else {
                    hb = brp_bound(p, threshold - g - 1);
                    p->work++;
                }
            }
            unretrieve(p, nr);
            undo_to(p, p->plen - 1);
            cand[nm] = (Cand){hb, nm, (uint8_t)from, (uint8_t)dest[i]};
            nm++;
        }
    }
    qsort(cand, (size_t)nm, sizeof(Cand), cand_cmp);
    for (int i = 0; i < nm && !p->timed_out; i++) {
        if (g + 1 + cand[i].h > threshold) {
            if (g + 1 + cand[i].h < *best)
                *best = g + 1 + cand[i].h;
            break; /* sorted: the rest are no better */
        }
        int r = try_move(p, g, threshold, cand[i].from, cand[i].to);
        if (r == FOUND)
            return FOUND;
        if (r < *best)
            *best = r;
    }
    return 0;
}

/* The path so far is a plan of g relocations: keep it when it is the best yet. */
static void keep_best(Brp *p, int g)
{
    if (g < p->best_cost) {
        p->best_cost = g;
        p->blen = p->plen;
        memcpy(p->best, p->path, sizeof(Move) * (size_t)p->plen);
    }
}

/* Count a node entered; the clock is read every `interval` units of work.  Returns 1 when
 * the deadline or the work limit has passed. */
static int node_entered(Brp *p, int interval)
{
    p->work++;
    p->nodes++;
    if (p->work >= p->clock_at) {
        p->clock_at = p->work + interval;
        if (now() > p->deadline)
            p->timed_out = 1;
    }
    if (p->work > p->work_limit)
        p->timed_out = 1;
    return p->timed_out;
}

static int dfs(Brp *p, int g, int threshold)
{
    Bay *b = &p->bay;
    int nret = retrieve_ready(p);
    if (b->left == 0) {
        keep_best(p, g);
        return FOUND;
    }
    if (p->plen >= MAXMOVES - 64) {
        unretrieve(p, nret);
        return 1 << 20;
    }
    /* (a probe node computes the bounds of all its children: the clock is read more often) */
    if (node_entered(p, p->ordered ? 16 : 1024)) {
        unretrieve(p, nret);
        return 1 << 20;
    }
    uint64_t k1, k2;
    bay_key(b, &k1, &k2);
    int found;
    Entry *e = table_probe(&p->table, k1, k2, &found);
    int h = 0;
    if (found && !(debug_flags & 2)) {
        /* what the table knows may prune before the bound is computed */
        h = e->h;
        if (e->iter == p->iter && e->g <= g) {
            unretrieve(p, nret);
            return g + h > threshold ? g + h : threshold + 1;
        }
        if (g + h > threshold) {
            unretrieve(p, nret);
            return g + h;
        }
    }
    int computed = brp_bound(p, threshold - g);
    if (computed > h)
        h = computed;
    if (found && h > e->h)
        e->h = (uint16_t)h;
    if (g + h > threshold) {
        if (!found) {
            *e = (Entry){k1, k2, (uint16_t)g, (uint16_t)h, 0};
        }
        unretrieve(p, nret);
        return g + h;
    }
    *e = (Entry){k1, k2, (uint16_t)g, (uint16_t)h, p->iter};
    int best = 1 << 20;
    int s = p->where[p->next];
    int dest[MAXS];
    if (p->restricted && p->ordered) {
        int r = try_ordered(p, g, threshold, &s, 1, &best);
        if (r == FOUND)
            return FOUND;
    } else if (p->restricted) {
        uint8_t x = top(b, s);
        int n = destinations(b, s, x, dest);
        for (int i = 0; i < n; i++) {
            int r = try_move(p, g, threshold, s, dest[i]);
            if (r == FOUND)
                return FOUND;
            if (r < best)
                best = r;
            if (p->timed_out)
                break;
        }
    } else {
        /* the target stack's top first, then every other top box.  No rule here looks at
         * the path (such as "never move the box just set down"): the table keys on the
         * bay alone, and a path-dependent prune would make its learned bounds unsafe. */
        int order[MAXS];
        int no = 0;
        order[no++] = s;
        for (int i = 0; i < b->S; i++)
            if (i != s && b->h[i] > 0)
                order[no++] = i;
        if (p->ordered) {
            int r = try_ordered(p, g, threshold, order, no, &best);
            if (r == FOUND)
                return FOUND;
        } else
        for (int oi = 0; oi < no && !p->timed_out; oi++) {
            int from = order[oi];
            uint8_t x = top(b, from);
            int n = destinations(b, from, x, dest);
            for (int i = 0; i < n; i++) {
                int to = dest[i];
                int r = try_move(p, g, threshold, from, to);
                if (r == FOUND)
                    return FOUND;
                if (r < best)
                    best = r;
                if (p->timed_out)
                    break;
            }
        }
    }
    /* learned bound: nothing cheaper than `best` lies below this state (the bay is as it
     * was on entry, so its key is too) */
    e = table_probe(&p->table, k1, k2, &found);
    int learned = best - g;
    if (learned > 65535)
        learned = 65535;
    if (found) {
        if (!p->timed_out && learned > e->h)
            e->h = (uint16_t)learned;
    } else if (!p->timed_out) {
        *e = (Entry){k1, k2, (uint16_t)g, (uint16_t)(learned > h ? learned : h), p->iter};
    }
    unretrieve(p, nret);
    return best;
}

/* ---- unrestricted search with dominance rules ---- */

/* In the unrestricted variant a plan's relocations can often be reordered, merged or sent
 * to another stack at no cost, so the search meets the same plan many times over.  The
 * rules of Jin & Tanaka (2023, EJOR 304(2), "an exact algorithm for the unrestricted
 * container relocation problem with new lower bounds and dominance rules") keep one
 * representative: each looks at the history of the stacks since the box to move was last
 * relocated.  Time k is the k-th relocation; a retrieval takes the time of the relocation
 * before it.  A plan cut by a rule is beaten or matched by one the search keeps, so the
 * search stays exact; it keeps no table (a bound learned under a rule holds only for the
 * path that reached the bay).  The rules for distinct priorities, by the paper's names:
 *   TA  a box whose last move left its source untouched since: moving it again merges
 *       into one later move from that source;
 *   TB  a destination untouched since the box's last move: it could have gone there then;
 *   TC  a lower-numbered open stack untouched since the box's last move could have held
 *       it in between (the lowest such stack is kept);
 *   IB  a relocation independent of a later one out of a higher-numbered stack goes
 *       first (independent moves in order of their source);
 *   RA  a box retrieved from where it was set down, whose move left a source that stayed
 *       untouched and where it blocked nothing, need not have moved;
 *   RB  as TC, at the box's retrieval;
 *   EA  of the empty stacks, the first only (destinations() does this). */

enum { CH_NONE, CH_OUT, CH_IN, CH_RETRIEVE };

typedef struct {
    int chg[MAXS], t_out[MAXS], t_in[MAXS];
    uint8_t chg_kind[MAXS];
} History;

static void history_save(const Brp *p, History *h, int S)
{
    size_t n = (size_t)S * sizeof(int);
    memcpy(h->chg, p->chg, n);
    memcpy(h->t_out, p->t_out, n);
    memcpy(h->t_in, p->t_in, n);
    memcpy(h->chg_kind, p->chg_kind, (size_t)S);
}

static void history_restore(Brp *p, const History *h, int S)
{
    size_t n = (size_t)S * sizeof(int);
    memcpy(p->chg, h->chg, n);
    memcpy(p->t_out, h->t_out, n);
    memcpy(p->t_in, h->t_in, n);
    memcpy(p->chg_kind, h->chg_kind, (size_t)S);
}

/* Relocate the top box of `from` to `to` at time k, keeping the history. */
static void u_relocate(Brp *p, int from, int to, int k)
{
    Bay *b = &p->bay;
    uint8_t x = top(b, from);
    p->src_at[k] = (uint8_t)from;
    p->good_at[k] = x < b->mn[from][b->h[from] - 1];
    relocate(p, from, to, x);
    p->lt[x] = k;
    p->chg[from] = p->t_out[from] = k;
    p->chg_kind[from] = CH_OUT;
    p->chg[to] = p->t_in[to] = k;
    p->chg_kind[to] = CH_IN;
}

/* Retrieve every target on top at time k; *n gets how many were taken.  Returns 1 when a
 * retrieval shows the plan dominated (rules RA and RB), with what was taken still out. */
static int u_retrieve(Brp *p, int k, int *n)
{
    Bay *b = &p->bay;
    *n = 0;
    while (b->left > 0) {
        int x = p->next, s = p->where[x];
        if (top(b, s) != x)
            break;
        int l = p->lt[x];
        if (l > 0 && !(debug_flags & 256)) {
            int sk = p->src_at[l];
            if (p->t_out[sk] == l && p->t_in[sk] < l && p->good_at[l])
                return 1; /* RA */
            for (int d = 0; d < s; d++)
                if (p->chg[d] < l && b->h[d] < b->H && stack_min(b, d) > x)
                    return 1; /* RB */
        }
        pop(b, s);
        p->path[p->plen++] = (Move){1, (uint8_t)s, 0};
        p->next++;
        p->chg[s] = k;
        p->chg_kind[s] = CH_RETRIEVE;
        (*n)++;
    }
    return 0;
}

typedef struct {
    int h, qd, qs, seq;
    uint8_t from, to;
} UCand;

static int ucand_cmp(const void *x, const void *y)
{
    const UCand *a = x, *b = y;
    if (a->h != b->h)
        return a->h - b->h;
    if (a->qd != b->qd)
        return b->qd - a->qd;
    if (a->qs != b->qs)
        return a->qs - b->qs;
    return a->seq - b->seq;
}

/* The probe of a child with room under the threshold: finish it greedily, keep the plan
 * when it is the best yet (returns 1 then). */
static int probe_plan(Brp *p, int g)
{
    int v = greedy_finish(p, NULL, NULL);
    if (v < 0 || g + v >= p->best_cost)
        return 0;
    keep_best(p, g + v); /* the path so far, then the greedy's moves after it */
    greedy_finish(p, p->best, &p->blen);
    return 1;
}

/* Depth-first search below a bay with g relocations made, targets on top already taken
 * and bound h (g + h <= threshold).  Returns FOUND or the smallest f above threshold. */
static int udfs(Brp *p, int g, int threshold)
{
    Bay *b = &p->bay;
    if (p->plen >= MAXMOVES - 64 || g + 2 >= MAXMOVES)
        return 1 << 20;
    if (node_entered(p, 64)) /* (each node computes all its children's bounds) */
        return 1 << 20;
    int rules = !(debug_flags & 256);
    int S = b->S, k = g + 1;
    int open_below[MAXS]; /* smallest chg among open stacks numbered below s */
    int out_above[MAXS];  /* largest t_out among stacks numbered above s */
    int m = INT_MAX;
    for (int s = 0; s < S; s++) {
        open_below[s] = m;
        if (b->h[s] < b->H && p->chg[s] < m)
            m = p->chg[s];
    }
    m = 0;
    for (int s = S - 1; s >= 0; s--) {
        out_above[s] = m;
        if (p->t_out[s] > m)
            m = p->t_out[s];
    }
    /* a plan that comes back to a bay on its path is beaten by the same plan without the
     * loop (whose representative the rules keep) */
    uint64_t k1, k2;
    bay_key(b, &k1, &k2);
    for (int i = 0; i < g; i++)
        if (p->path_keys[i][0] == k1 && p->path_keys[i][1] == k2)
            return 1 << 20;
    p->path_keys[g][0] = k1;
    p->path_keys[g][1] = k2;
    UCand cand[S * (S - 1) + 1];
    int nc = 0, dest[MAXS];
    History saved;
    history_save(p, &saved, S);
    int best = 1 << 20;
    for (int sn = 0; sn < S; sn++) {
        if (b->h[sn] == 0)
            continue;
        uint8_t x = top(b, sn);
        int lv = p->lt[x];
        if (rules && lv > 0) {
            int sk = p->src_at[lv];
            if (p->chg[sk] == lv && p->chg_kind[sk] == CH_OUT)
                continue; /* TA */
            if (open_below[sn] < lv)
                continue; /* TC */
        }
        int n = destinations(b, sn, x, dest);
        for (int i = 0; i < n; i++) {
            int dn = dest[i];
            if (rules && p->chg[dn] < lv)
                continue; /* TB */
            int later = p->chg[sn] > p->chg[dn] ? p->chg[sn] : p->chg[dn];
            if (rules && out_above[sn] > later)
                continue; /* IB */
            int qd = stack_min(b, dn), qs = stack_min(b, sn);
            int oldlt = p->lt[x];
            u_relocate(p, sn, dn, k);
            int nr, dominated = u_retrieve(p, k, &nr);
            int hb = 0, solved = !dominated && b->left == 0, found = 0;
            if (!dominated) {
                if (solved) {
                    keep_best(p, k);
                    if (k <= threshold) {
                        /* (the caller undoes the path up to its own node) */
                        history_restore(p, &saved, S);
                        return FOUND;
                    }
                } else {
                    hb = brp_bound(p, threshold - k);
                    p->work++;
                    if (k + hb < threshold && p->best_cost > threshold && probe_plan(p, k))
                        found = p->best_cost <= threshold;
                }
            }
            unretrieve(p, nr);
            undo_to(p, p->plen - 1);
            p->lt[x] = oldlt;
            history_restore(p, &saved, S);
            if (found)
                return FOUND; /* the probe's plan meets the threshold: the caller stops */
            if (dominated)
                continue;
            if (solved) {
                if (k < best)
                    best = k;
                continue;
            }
            cand[nc] = (UCand){hb, qd, qs, nc, (uint8_t)sn, (uint8_t)dn};
            nc++;
        }
    }
    qsort(cand, (size_t)nc, sizeof(UCand), ucand_cmp);
    for (int i = 0; i < nc && !p->timed_out; i++) {
        int f = k + cand[i].h;
        if (f > threshold) {
            if (f < best)
                best = f;
            break; /* sorted: the rest are no better */
        }
        uint8_t x = top(b, cand[i].from);
        int oldlt = p->lt[x];
        int start = p->plen;
        u_relocate(p, cand[i].from, cand[i].to, k);
        int nr;
        u_retrieve(p, k, &nr); /* not dominated: checked above */
        int r = udfs(p, k, threshold);
        if (r == FOUND)
            return FOUND;
        if (r < best)
            best = r;
        undo_to(p, start);
        p->lt[x] = oldlt;
        history_restore(p, &saved, S);
    }
    return best;
}


/* One pass of udfs from the root at `threshold`. */
static int udfs_root(Brp *p, int threshold)
{
    memset(p->chg, 0, sizeof p->chg);
    memset(p->chg_kind, 0, sizeof p->chg_kind);
    memset(p->t_out, 0, sizeof p->t_out);
    memset(p->t_in, 0, sizeof p->t_in);
    memset(p->lt, 0, sizeof p->lt);
    int nr = retrieve_ready(p);
    int r;
    if (p->bay.left == 0) {
        keep_best(p, 0);
        r = FOUND;
    } else {
        int h = brp_bound(p, threshold);
        r = h > threshold ? h : udfs(p, 0, threshold);
    }
    if (r != FOUND)
        unretrieve(p, nr);
    return r;
}

/* One depth-first pass at `threshold`, stopped after `budget` units of work.  Returns
 * FOUND, the next threshold, or BUDGET_OUT (p->timed_out is then set only when the
 * deadline has passed). */
#define BUDGET_OUT (-2)
#define BEAM_AFTER 3000000L
#define BEAM_SHARE 0.3
#define WIDE_GAP 0.1 /* of the bound */

static int search_pass(Brp *p, int threshold, int ordered, long budget)
{
    p->iter++;
    p->plen = 0;
    p->ordered = ordered;
    p->work = 0;
    p->clock_at = 0;
    p->work_limit = budget;
    int r = p->use_rules ? udfs_root(p, threshold) : dfs(p, 0, threshold);
    p->ordered = 0;
    p->work_limit = LONG_MAX;
    if (r != FOUND && p->timed_out) {
        p->timed_out = now() > p->deadline;
        return BUDGET_OUT;
    }
    return r;
}

/* Beam searches of doubling width for at most `seconds` (and never past the deadline),
 * until one finds a plan that meets the proved bound `threshold`, or three widths in a row
 * past 64 find nothing better. */
static void beam_widening(Brp *p, double seconds, int threshold)
{
    int slack = p->carry_slack;
    p->carry_slack = 0; /* the plain walk ranks the children: many more per second */
    double until = now() + seconds;
    if (until > p->deadline)
        until = p->deadline;
    int most = (1 << 20) / (p->bay.S * p->bay.S), idle = 0;
    for (int width = 8; width <= most && now() < until && idle < 3; width *= 2) {
        int before = p->best_cost;
        if (brp_beam(p, width, until) < 0 || p->best_cost <= threshold)
            break;
        idle = width >= 64 && p->best_cost == before ? idle + 1 : 0;
    }
    p->carry_slack = slack;
    p->timed_out = now() > p->deadline;
}

/* ------------------------------------------------------------------------------------ */
/* Python glue                                                                           */

static int read_bay(PyObject *stacks, int H, Bay *b, int *count)
{
    init_z();
    PyObject *seq = PySequence_Fast(stacks, "stacks must be a sequence of sequences");
    if (!seq)
        return -1;
    Py_ssize_t S = PySequence_Fast_GET_SIZE(seq);
    if (S < 1 || S > MAXS || H < 1 || H > MAXH) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "bay must have 1..%d stacks and height 1..%d", MAXS,
                     MAXH);
        return -1;
    }
    memset(b, 0, sizeof(*b));
    b->S = (int)S;
    b->H = H;
    for (int s = 0; s < S; s++)
        b->mn[s][0] = INF;
    memset(count, 0, sizeof(int) * 256);
    for (int s = 0; s < S; s++) {
        PyObject *st = PySequence_Fast(PySequence_Fast_GET_ITEM(seq, s), "stack must be a sequence");
        if (!st) {
            Py_DECREF(seq);
            return -1;
        }
        Py_ssize_t n = PySequence_Fast_GET_SIZE(st);
        if (n > H) {
            Py_DECREF(st);
            Py_DECREF(seq);
            PyErr_Format(PyExc_ValueError, "stack %d holds %zd boxes, above height %d", s, n, H);
            return -1;
        }
        for (Py_ssize_t k = 0; k < n; k++) {
            long v = PyLong_AsLong(PySequence_Fast_GET_ITEM(st, k));
            if (v == -1 && PyErr_Occurred()) {
                Py_DECREF(st);
                Py_DECREF(seq);
                return -1;
            }
            if (v < 1 || v > 254) {
                Py_DECREF(st);
                Py_DECREF(seq);
                PyErr_Format(PyExc_ValueError, "priority %ld outside 1..254", v);
                return -1;
            }
            push(b, s, (uint8_t)v);
            count[v]++;
        }
        Py_DECREF(st);
    }
    Py_DECREF(seq);
    return 0;
}

static PyObject *moves_to_list(const Move *m, int n, int with_op)
{
    PyObject *out = PyList_New(n);
    if (!out)
        return NULL;
    for (int i = 0; i < n; i++) {
        PyObject *t = with_op ? Py_BuildValue("(iii)", m[i].op, m[i].from, m[i].to)
                              : Py_BuildValue("(ii)", m[i].from, m[i].to);
        if (!t) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, t);
    }
    return out;
}

static int brp_setup(Brp *p, PyObject *stacks, int H, int restricted)
{
    int count[256];
    if (read_bay(stacks, H, &p->bay, count) < 0)
        return -1;
    int N = p->bay.left;
    for (int v = 1; v <= N; v++)
        if (count[v] != 1) {
            PyErr_SetString(PyExc_ValueError, "BRP priorities must be exactly 1..N");
            return -1;
        }
    for (int s = 0; s < p->bay.S; s++)
        for (int k = 0; k < p->bay.h[s]; k++)
            p->where[p->bay.c[s][k]] = s;
    for (int v = N + 1; v < 256; v++)
        p->where[v] = -1;
    p->restricted = restricted;
    p->next = 1;
    p->plen = 0;
    p->blen = 0;
    p->best_cost = 1 << 30;
    p->carry_nodes = CARRY_NODES;
    p->carry_slack = CARRY_SLACK;
    return 0;
}

/* A search state for the bay given from Python, or NULL with the Python error set. */
static Brp *brp_new(PyObject *stacks, int H, int restricted)
{
    Brp *p = calloc(1, sizeof(Brp));
    if (!p) {
        PyErr_NoMemory();
        return NULL;
    }
    if (brp_setup(p, stacks, H, restricted) < 0) {
        free(p);
        return NULL;
    }
    return p;
}

static PyObject *py_brp_heuristic(PyObject *self, PyObject *args)
{
    PyObject *stacks;
    int H, restricted;
    if (!PyArg_ParseTuple(args, "Oip", &stacks, &H, &restricted))
        return NULL;
    Brp *p = brp_new(stacks, H, restricted);
    if (!p)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    rollout(p);
    Py_END_ALLOW_THREADS
    PyObject *res;
    if (p->best_cost >= (1 << 30))
        res = Py_BuildValue("(iO)", -1, Py_None);
    else {
        PyObject *mv = moves_to_list(p->best, p->blen, 1);
        res = mv ? Py_BuildValue("(iN)", p->best_cost, mv) : NULL;
    }
    free(p);
    return res;
}

static PyObject *py_brp_solve(PyObject *self, PyObject *args)
{
    PyObject *stacks;
    int H, restricted, table_bits;
    double time_limit, beam_first = 0;
    if (!PyArg_ParseTuple(args, "Oipdi|d", &stacks, &H, &restricted, &time_limit, &table_bits,
                          &beam_first))
        return NULL;
    Brp *p = brp_new(stacks, H, restricted);
    if (!p)
        return NULL;
    if (!table_init(&p->table, table_bits)) {
        free(p);
        return PyErr_NoMemory();
    }
    int lower = 0, optimal = 0;
    Py_BEGIN_ALLOW_THREADS
    p->deadline = now() + time_limit;
    rollout(p);
    /* the rules' search keeps no table, so it could wander long in a bay with little room:
     * where the rollout found no plan at all, the table's search runs instead */
    p->use_rules = !restricted && !(debug_flags & 512) && p->best_cost < (1 << 30);
    int root = brp_full_bound(p, (long)(ROOT_CARRY_RATE * time_limit) + CARRY_NODES,
                              now() + ROOT_SHARE * time_limit);
    lower = root;
    int threshold = root;
    long last_work = 0;
    int beam_done = (debug_flags & 32) != 0;
    /* a wide gap between the rollout and the bound (large bays) is not closed by deepening:
     * the beam search goes first there, as in the heuristic */
    if (beam_first == 0 && p->best_cost - threshold > WIDE_GAP * threshold)
        beam_first = BEAM_SHARE;
    if (beam_first > 0 && !beam_done && threshold < p->best_cost) {
        beam_done = 1;
        beam_widening(p, time_limit * beam_first, threshold);
    }
    while (!p->timed_out) {
        if (p->best_cost <= threshold) {
            lower = p->best_cost;
            optimal = 1;
            break;
        }
        /* the probe: this threshold with the children tried lowest bound first, on a small
         * budget.  It finds the plan of the last iteration in a fraction of the plain
         * search's nodes; an iteration without one is then settled by the plain search,
         * which is cheaper per node.  Bounds learned in finished subtrees stay. */
        int r = (debug_flags & 4) || p->use_rules ? BUDGET_OUT : search_pass(p, threshold, 1, 2 * last_work + 20000);
        if (p->timed_out)
            break;
        if (r == BUDGET_OUT) {
            /* a hard case: before the plain search runs long, a beam search looks for a
             * better plan, which ends the search at once when it meets the threshold */
            long budget = beam_done ? LONG_MAX : (debug_flags & 16) ? 0 : BEAM_AFTER;
            r = search_pass(p, threshold, 0, budget);
            last_work = p->work;
            if (r == BUDGET_OUT) {
                beam_done = 1;
                beam_widening(p, time_limit * BEAM_SHARE, threshold);
                continue; /* the same threshold again, with what the table has learned */
            }
        }
        if (debug_flags & 64)
            fprintf(stderr, "threshold %d: r=%d nodes=%ld t=%.2f best=%d\n", threshold, r,
                    p->nodes, now() - (p->deadline - time_limit), p->best_cost);
        if (r == FOUND) {
            lower = p->best_cost;
            optimal = 1;
            break;
        }
        if (p->timed_out)
            break;
        if (r >= (1 << 20))
            break; /* every branch dead-ends: no plan exists */
        threshold = r;
        lower = r;
    }
    if (lower > p->best_cost)
        lower = p->best_cost;
    Py_END_ALLOW_THREADS
    PyObject *res;
    if (p->best_cost >= (1 << 30))
        res = Py_BuildValue("(iiOlO)", -1, lower, Py_False, p->nodes, Py_None);
    else {
        PyObject *mv = moves_to_list(p->best, p->blen, 1);
        res = mv ? Py_BuildValue("(iiNlN)", p->best_cost, lower, PyBool_FromLong(optimal),
                                 p->nodes, mv)
                 : NULL;
    }
    free(p->table.e);
    free(p);
    return res;
}

static PyObject *py_brp_bound(PyObject *self, PyObject *args)
{
    PyObject *stacks;
    int H, restricted;
    if (!PyArg_ParseTuple(args, "Oip", &stacks, &H, &restricted))
        return NULL;
    Brp *p = brp_new(stacks, H, restricted);
    if (!p)
        return NULL;
    p->deadline = now() + 1.0;
    int lb = brp_full_bound(p, ROOT_CARRY_RATE, p->deadline);
    free(p);
    return PyLong_FromLong(lb);
}

#include "_cpmp.h"

static PyObject *py_debug(PyObject *self, PyObject *args)
{
    if (!PyArg_ParseTuple(args, "i", &debug_flags))
        return NULL;
    CARRY_NODES = (debug_flags >> 16) ? (debug_flags >> 16) : CARRY_NODES_DEFAULT;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"_debug", py_debug, METH_VARARGS, "test switches"},
    {"brp_solve", py_brp_solve, METH_VARARGS,
     "brp_solve(stacks, max_height, restricted, time_limit, table_bits, beam_first=0) -> "
     "(relocations, lower_bound, optimal, nodes, moves)"},
    {"brp_heuristic", py_brp_heuristic, METH_VARARGS,
     "brp_heuristic(stacks, max_height, restricted) -> (relocations, moves)"},
    {"brp_bound", py_brp_bound, METH_VARARGS,
     "brp_bound(stacks, max_height, restricted) -> lower bound at the root"},
    {"cpmp_solve", py_cpmp_solve, METH_VARARGS,
     "cpmp_solve(stacks, max_height, time_limit) -> (moves_count, lower_bound, optimal, moves)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_bay", "Search core of the yard optimisers.", -1, methods,
    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__bay(void) { return PyModule_Create(&module); }
