/*
 * Pre-marshalling (CPMP) beam search, included by _bay.c.
 *
 * A box is well placed when it and every box below it form a non-increasing column
 * (a smaller priority leaves earlier and sits higher).  The bound is Bortfeldt & Forster's
 * (2012) demand/supply bound as sharpened by Tanaka & Tierney (2018): see cpmp_bound.
 *
 * The greedy fills sorted stacks from badly placed tops with the tightest fit and, when no
 * such move exists, dismantles the stack with the fewest boxes until it can be filled to
 * the top (the stack-filling / stack-dismantling scheme of the rilianx/cpmp greedy, coded
 * here anew); a bay met again at a dismantling (the filling undid it) dismantles the next
 * stack instead.  The beam search scores every child (a single move of a badly placed
 * top, or a whole dismantling) and keeps one copy of each bay per level, dropping a bay an
 * earlier level reached in as few moves.  Two rankings run side by side, each with two
 * branchings, widths growing until time is out:
 *  - by bound past the incumbent: a child is ranked by moves made + the simple bound, and
 *    the greedy runs on the bays the beam keeps, only as far as it could still beat the
 *    best plan (cheap children, so the beam is wide; best on the tight 5-stack bays);
 *  - by greedy completion: the greedy runs to the end for every child, which is ranked
 *    by moves made + a blend of its completion and the full bound (best on 7 and 10
 *    stacks).
 * Plans are shortened at the end: a box set down and taken off again before anything else
 * touches the stacks involved goes straight to its second stack.
 */

/* Pre-marshalling bays are held small: the beam copies them for every child. */
#define CMAXS 24
#define CMAXH 16
typedef struct {
    uint8_t h[CMAXS];
    uint8_t c[CMAXS][CMAXH];
} CBay;

typedef struct {
    int S, H;
} CShape;

static inline int c_sorted_len(const CBay *b, int s)
{
    int k = 1, n = b->h[s];
    if (n == 0)
        return 0;
    while (k < n && b->c[s][k] <= b->c[s][k - 1])
        k++;
    return k;
}

/* Every badly placed box moves at least once; and the largest badly placed priority v
 * needs a stack whose well-placed part has no box below v on top of it, so at least the
 * smallest number of such boxes over all stacks must move too (the first step of
 * Bortfeldt & Forster's bound). */
static int cpmp_bound_simple(const CShape *sh, const CBay *b, int *nbp_out)
{
    int nbp = 0, vmax = 0;
    int sl[CMAXS];
    for (int s = 0; s < sh->S; s++) {
        sl[s] = c_sorted_len(b, s);
        nbp += b->h[s] - sl[s];
        for (int k = sl[s]; k < b->h[s]; k++)
            if (b->c[s][k] > vmax)
                vmax = b->c[s][k];
    }
    *nbp_out = nbp;
    if (nbp == 0)
        return 0;
    int extra = 1 << 20;
    for (int s = 0; s < sh->S && extra > 0; s++) {
        int n = 0;
        for (int k = sl[s] - 1; k >= 0 && b->c[s][k] < vmax; k--)
            n++;
        if (n < extra)
            extra = n;
    }
    return nbp + extra;
}

/* The demand/supply bound of Bortfeldt & Forster (2012) as sharpened by Tanaka & Tierney
 * (2018).  Every badly placed box moves (nbp).  A box of priority q ends well placed on a
 * stack whose well-placed part tops out at q or later; counting, for each priority p, the
 * badly placed boxes of priority p or later (demand) against the free slots above
 * well-placed parts that top out at p or later (supply), a surplus means some stacks must
 * shed the well-placed boxes earlier than p that sit on top of their well-placed part:
 * at least ceil(surplus / H) stacks, the cheapest ones.  Those boxes are well placed, so
 * their moves come on top of nbp; the bound takes the priority where this costs most.
 * And when no stack is both sorted and short of full, nothing can be placed well before
 * a stack's badly placed part has gone onto other unsorted stacks, from where it moves
 * again: the lowest such part is added. */
static int cpmp_bound(const CShape *sh, const CBay *b, int *nbp_out)
{
    if (debug_flags & 2048)
        return cpmp_bound_simple(sh, b, nbp_out);
    int S = sh->S, H = sh->H;
    int nclean[CMAXS], ctop[CMAXS];
    int nbp = 0, pmax = 0, open_clean = 0, min_bad = H + 1;
    for (int s = 0; s < S; s++) {
        int n = c_sorted_len(b, s);
        nclean[s] = n;
        ctop[s] = n ? b->c[s][n - 1] : 1 << 20;
        for (int k = n; k < b->h[s]; k++)
            if (b->c[s][k] > pmax)
                pmax = b->c[s][k];
        nbp += b->h[s] - n;
        if (n == b->h[s]) {
            if (b->h[s] < H)
                open_clean = 1;
        } else if (b->h[s] - n < min_bad)
            min_bad = b->h[s] - n;
    }
    *nbp_out = nbp;
    if (nbp == 0)
        return 0;
    int demand[256];
    memset(demand, 0, sizeof(int) * (size_t)(pmax + 1));
    for (int s = 0; s < S; s++)
        for (int k = nclean[s]; k < b->h[s]; k++)
            demand[b->c[s][k]]++;
    int lb = nbp + (open_clean ? 0 : min_bad);
    int worst = 0, need = 0;
    /* only at the priorities of badly placed boxes (the bound holds at each p alone) */
    for (int p = pmax; p >= 1; p--) {
        if (!demand[p])
            continue;
        need += demand[p];
        int supply = 0;
        for (int s = 0; s < S; s++)
            if (ctop[s] >= p)
                supply += H - nclean[s];
        int surplus = need - supply;
        if (surplus <= 0)
            continue;
        int stacks = (surplus + H - 1) / H;
        /* the well-placed boxes earlier than p on top of each other stack's sorted part */
        int count[CMAXH + 1] = {0};
        for (int s = 0; s < S; s++) {
            if (ctop[s] >= p)
                continue;
            int r = 0;
            for (int k = nclean[s] - 1; k >= 0 && b->c[s][k] < p; k--)
                r++;
            count[r]++;
        }
        int cost = 0;
        for (int r = 0; r <= H && stacks > 0; r++) {
            int take = count[r] < stacks ? count[r] : stacks;
            cost += take * r;
            stacks -= take;
        }
        if (stacks > 0)
            cost += stacks * H; /* not enough stacks: no plan exists, any bound holds */
        if (cost > worst)
            worst = cost;
    }
    return lb + worst;
}

static uint64_t cbay_key(const CShape *sh, const CBay *b)
{
    uint64_t a = 0;
    for (int s = 0; s < sh->S; s++) {
        uint64_t x = 0x1234567ULL + b->h[s];
        for (int k = 0; k < b->h[s]; k++)
            x ^= Z[k][b->c[s][k]];
        a += mix(x);
    }
    return a;
}

/* ---- greedy completion ---- */

static inline int c_clean(const CBay *b, int s) { return c_sorted_len(b, s) == b->h[s]; }

static inline void c_move(CBay *b, int from, int to)
{
    b->c[to][b->h[to]++] = b->c[from][--b->h[from]];
}

#define CTOP(b, s) ((b)->h[s] ? (int)(b)->c[s][(b)->h[s] - 1] : 1000)

/* How high stack i could be filled well placed from the badly placed runs on top of the
 * other stacks (an optimistic count; -1 when i itself is not sorted). */
static int reachable_height(const CShape *sh, const CBay *b, int i, const int *clean)
{
    if (!clean[i])
        return -1;
    int top = CTOP(b, i), h = b->h[i], all = 1;
    if (h == sh->H)
        return h;
    for (int k = 0; k < sh->S; k++) {
        if (k == i || clean[k])
            continue;
        int run = b->h[k] - c_sorted_len(b, k), prev = 1000;
        for (int j = 1; j <= run; j++) {
            int x = b->c[k][b->h[k] - j];
            if (x <= prev && x <= top) {
                if (++h == sh->H)
                    return h;
                prev = x;
            } else {
                if (j == 1)
                    all = 0;
                break;
            }
        }
    }
    return all ? sh->H : h;
}

/* Where a box x taken off stack `from` goes while a stack is dismantled: well placed on the
 * sorted stack with the lowest fitting top; else onto a badly placed top it does not
 * undercut, the highest such; else the sorted stack with the lowest top; else anywhere. */
static int dismantle_dest(const CShape *sh, const CBay *b, int from, const int *clean)
{
    int x = CTOP(b, from), best = -1, bev = -(1 << 30);
    for (int d = 0; d < sh->S; d++) {
        if (d == from || b->h[d] >= sh->H)
            continue;
        int t = CTOP(b, d), ev;
        if (clean[d] && x <= t)
            ev = 100000 - 100 * t;
        else if (!clean[d] && x >= t)
            ev = t;
        else if (clean[d])
            ev = -100 - t;
        else
            ev = -100000;
        if (ev > bev) {
            bev = ev;
            best = d;
        }
    }
    return best;
}

/* Finish the sort greedily on b (modified): fill sorted stacks from badly placed tops with
 * the tightest fit; when no such move exists, dismantle the stack with the fewest (and
 * earliest-leaving) boxes until it can be filled to the top.  Returns the moves made, or
 * -1 past `limit`. */
#define GREEDY_SEEN 32
static int cpmp_greedy(const CShape *sh, CBay *b, int limit, Move *out)
{
    int S = sh->S, H = sh->H, steps = 0;
    uint64_t seen[GREEDY_SEEN];
    int nseen = 0;
    int clean[CMAXS], unsorted = 0;
    for (int s = 0; s < S; s++) {
        clean[s] = c_clean(b, s);
        unsorted += !clean[s];
    }
    for (;;) {
        if (unsorted == 0)
            return steps;
        if (steps >= limit)
            return -1;
        /* stack filling */
        int so = -1, sd = -1, dif = 1 << 20;
        for (int d = 0; d < S; d++) {
            if (!clean[d] || b->h[d] >= H)
                continue;
            int t = CTOP(b, d);
            for (int o = 0; o < S; o++) {
                if (o == d || clean[o])
                    continue;
                int x = CTOP(b, o);
                if (x <= t && t - x < dif) {
                    dif = t - x;
                    so = o;
                    sd = d;
                }
            }
        }
        if (so >= 0) {
            c_move(b, so, sd); /* sd stays sorted */
            if (c_clean(b, so)) {
                clean[so] = 1;
                unsorted--;
            }
            if (out)
                out[steps] = (Move){0, (uint8_t)so, (uint8_t)sd};
            steps++;
            continue;
        }
        /* stack dismantling: the stack with the fewest (and earliest-leaving) boxes; when
         * this bay was met at an earlier dismantling (the filling put the boxes back), the
         * next such stack instead, and so on */
        uint64_t key = cbay_key(sh, b);
        int met = 0;
        for (int k = 0; k < nseen; k++)
            met += seen[k] == key;
        if (nseen < GREEDY_SEEN)
            seen[nseen++] = key;
        long ev[CMAXS];
        for (int s = 0; s < S; s++) {
            ev[s] = -(1L << 40);
            if (b->h[s] == 0)
                continue;
            long sum = 0;
            for (int k = 0; k < b->h[s]; k++)
                sum += b->c[s][k];
            ev[s] = 100000L - 1000L * b->h[s] - (sum * 10) / b->h[s];
        }
        int victim = -1;
        for (int pass = 0; pass <= met; pass++) {
            victim = -1;
            for (int s = 0; s < S; s++)
                if (ev[s] > -(1L << 40) && (victim < 0 || ev[s] > ev[victim]))
                    victim = s;
            if (victim < 0)
                return -1;
            if (pass < met)
                ev[victim] = -(1L << 40);
        }
        while (b->h[victim] > 0) {
            int d = dismantle_dest(sh, b, victim, clean);
            if (d < 0 || steps >= limit)
                return -1;
            c_move(b, victim, d);
            unsorted -= !clean[d] + !clean[victim];
            clean[d] = c_clean(b, d);
            clean[victim] = c_clean(b, victim);
            unsorted += !clean[d] + !clean[victim];
            if (out)
                out[steps] = (Move){0, (uint8_t)victim, (uint8_t)d};
            steps++;
            if (reachable_height(sh, b, victim, clean) == H)
                break;
        }
    }
}

/* ---- beam search over compound moves, each child scored by its greedy completion ---- */

#define CPMP_MAXLEN 512

typedef struct {
    int parent;  /* previous segment, -1 at the root */
    int start;   /* first move in the move pool */
    int n;
} Segment;

typedef struct {
    Segment *seg;
    int nseg, cap_seg;
    Move *mv;
    int nmv, cap_mv;
} Pool;

static int pool_add(Pool *p, int parent, const Move *m, int n)
{
    if (p->nseg == p->cap_seg) {
        int cap = p->cap_seg ? 2 * p->cap_seg : 1024;
        Segment *g = realloc(p->seg, sizeof(Segment) * (size_t)cap);
        if (!g)
            return -1;
        p->seg = g;
        p->cap_seg = cap;
    }
    while (p->nmv + n > p->cap_mv) {
        int cap = p->cap_mv ? 2 * p->cap_mv : 4096;
        Move *g = realloc(p->mv, sizeof(Move) * (size_t)cap);
        if (!g)
            return -1;
        p->mv = g;
        p->cap_mv = cap;
    }
    memcpy(p->mv + p->nmv, m, sizeof(Move) * (size_t)n);
    p->seg[p->nseg] = (Segment){parent, p->nmv, n};
    p->nmv += n;
    return p->nseg++;
}

/* The moves from the root to the end of segment `id`; returns their number. */
static int pool_path(const Pool *p, int id, Move *out)
{
    int total = 0;
    for (int k = id; k >= 0; k = p->seg[k].parent)
        total += p->seg[k].n;
    int at = total;
    for (int k = id; k >= 0; k = p->seg[k].parent) {
        at -= p->seg[k].n;
        memcpy(out + at, p->mv + p->seg[k].start, sizeof(Move) * (size_t)p->seg[k].n);
    }
    return total;
}

typedef struct {
    CBay bay;
    int g;
    int seg;
} Node;

typedef struct {
    int parent;       /* node index in the current level */
    int n;            /* moves of the compound move */
    Move m[CMAXH + 1];
    int score, lb, g;
    uint64_t key;
} Child;

static int child_cmp(const void *x, const void *y)
{
    const Child *a = x, *b = y;
    if (a->score != b->score)
        return a->score - b->score;
    if (a->g != b->g)
        return b->g - a->g; /* the same estimate with more of it made good */
    if (a->lb != b->lb)
        return a->lb - b->lb;
    return a->key < b->key ? -1 : a->key > b->key;
}

typedef struct {
    const CShape *sh;
    int *best;
    int full; /* rank by the whole greedy completion, else by a bound past the incumbent */
    Move *out;
    Pool *pool;
    Move scratch[CPMP_MAXLEN];
} Search;

/* Record a better complete plan: the path to segment `seg`, then `head`, then `tail`. */
static void keep_plan(Search *z, int seg, const Move *head, int nhead, const Move *tail,
                      int ntail, int g)
{
    int len = pool_path(z->pool, seg, z->out);
    if (nhead)
        memcpy(z->out + len, head, sizeof(Move) * (size_t)nhead);
    if (ntail)
        memcpy(z->out + len + nhead, tail, sizeof(Move) * (size_t)ntail);
    *z->best = g + nhead + ntail;
}

/* Score one compound move from node `nd`; records a better complete plan. */
static void score_child(Search *z, const Node *nd, int parent, const Move *m, int n,
                        Child *c, int *nc)
{
    CBay child = nd->bay;
    for (int i = 0; i < n; i++)
        c_move(&child, m[i].from, m[i].to);
    int g = nd->g + n, nbp;
    /* the ranking by bound wants many children more than a sharp bound */
    int lb = z->full ? cpmp_bound(z->sh, &child, &nbp) : cpmp_bound_simple(z->sh, &child, &nbp);
    if (g + lb >= *z->best)
        return;
    if (lb == 0) {
        keep_plan(z, nd->seg, m, n, NULL, 0, nd->g); /* sorted: g < best, see above */
        return;
    }
    int rest = -1; /* ranked by bound, the greedy runs when the beam takes the child */
    if (z->full) {
        CBay work = child;
        int room = 2 * *z->best - g - 1;
        if (room > CPMP_MAXLEN - g - 1)
            room = CPMP_MAXLEN - g - 1;
        rest = cpmp_greedy(z->sh, &work, room, z->scratch);
        if (rest >= 0 && g + rest < *z->best)
            keep_plan(z, nd->seg, m, n, z->scratch, rest, nd->g);
    }
    Child *k = &c[(*nc)++];
    k->parent = parent;
    k->n = n;
    memcpy(k->m, m, sizeof(Move) * (size_t)n);
    k->lb = lb;
    if (z->full)
        /* moves made + a blend of the greedy completion and the bound, 1 : 2 (on 40
         * instances each of 10x5 cv1 and 7x5 cv2, 1 s: 2.78 / 2.13 % against 2.72 /
         * 2.33 % for 1 : 1 and 3.03 / 2.68 % for the greedy alone) */
        k->score = rest >= 0 ? 3 * g + rest + 2 * lb : (1 << 20) + g + lb;
    else
        k->score = g + lb;
    k->g = g;
    k->key = cbay_key(z->sh, &child);
}

/* Bays the beam has reached, with the fewest moves to each: a lossy table (a slot holds
 * the key's upper bits and the moves). */
typedef struct {
    uint64_t *slot;
    uint64_t mask;
} Reached;

#define REACHED_BITS 22

/* 1 when no earlier level reached this bay in g moves or fewer (and records it).  Without
 * its table (out of memory) every bay counts as new. */
static int fewest_first(Reached *r, uint64_t key, int g)
{
    if (!r->slot)
        return 1;
    uint64_t *e = &r->slot[key & r->mask];
    uint64_t tag = (key | 0xFFF) ^ 0xFFF;
    if (*e && (*e | 0xFFF) == (tag | 0xFFF) && (int)(*e & 0xFFF) <= g)
        return 0;
    *e = tag | (uint64_t)g;
    return 1;
}

/* The children of a bay: filling moves (a badly placed top onto a sorted stack where it
 * lands well placed) and dismantlings; with narrow off, also any single move of any top
 * (see ANY_MOVE_MAX_STACKS for the ranking by greedy completion).  On 30 instances of
 * each DLTS cv1 test group, 1 s: the wide beams limited to badly placed tops onto
 * unsorted stacks they do not undercut gave 3.53 / 2.62 / 2.63 % (5x5 / 7x5 / 10x5); with
 * any move in the beams ranked by bound, 2.38 / 2.10 / 2.33 %; in those ranked by greedy
 * completion too, 1.44 / 2.27 / 2.93 %. */
#define ANY_MOVE_MAX_STACKS 6
static void cpmp_beam(const CShape *sh, const CBay *root, int width, int narrow, int full,
                      double deadline, int *best, Move *out, int *timed_out)
{
    int S = sh->S, H = sh->H;
    int per_node = S * S + S + 1;
    Node *level = malloc(sizeof(Node) * (size_t)width);
    Node *next = malloc(sizeof(Node) * (size_t)width);
    Child *kids = malloc(sizeof(Child) * (size_t)width * (size_t)per_node);
    int seen_size = 64;
    while (seen_size < 4 * width)
        seen_size *= 2;
    uint64_t *seen = malloc(sizeof(uint64_t) * (size_t)seen_size);
    Search z = {sh, best, full, out, NULL, {{0}}};
    size_t reach = 1 << 12; /* a slot for about 64 bays per beam place */
    while (reach < (size_t)width * 64 && reach < (size_t)1 << REACHED_BITS)
        reach *= 2;
    Reached reached = {calloc(reach, sizeof(uint64_t)), reach - 1};
    Pool pool = {0};
    z.pool = &pool;
    if (!level || !next || !kids || !seen)
        goto done;
    double sort_rate = 0; /* seconds per child to sort a level, as measured, with a margin */
    level[0] = (Node){*root, 0, -1};
    int nlevel = 1;
    while (nlevel > 0) {
        int nc = 0;
        for (int i = 0; i < nlevel; i++) {
            if (now() > deadline) {
                *timed_out = 1;
                goto done;
            }
            Node *nd = &level[i];
            CBay *b = &nd->bay;
            if (!full) {
                /* the ranking by bound runs the greedy on the bays it keeps only */
                CBay work = *b;
                int rest = cpmp_greedy(sh, &work, *best - nd->g - 1, z.scratch);
                if (rest >= 0 && nd->g + rest < *best)
                    keep_plan(&z, nd->seg, NULL, 0, z.scratch, rest, nd->g);
            }
            int clean[CMAXS];
            for (int s = 0; s < S; s++)
                clean[s] = c_sorted_len(b, s) == b->h[s];
            /* single moves: the narrow branching moves badly placed tops; the wide one
             * moves any top anywhere when ranked by bound (cheap children) and, ranked by
             * greedy completion, on bays of few stacks, where a node has few children (see
             * ANY_MOVE_MAX_STACKS); else also badly placed tops onto unsorted stacks */
            int any = !narrow && (!full || S <= ANY_MOVE_MAX_STACKS);
            for (int o = 0; o < S; o++) {
                if (b->h[o] == 0 || (clean[o] && !any))
                    continue;
                int empty_done = 0;
                for (int d = 0; d < S; d++) {
                    if (d == o || b->h[d] >= H)
                        continue;
                    if (b->h[d] == 0) {
                        if (empty_done)
                            continue;
                        empty_done = 1;
                    }
                    /* onto a sorted stack only where it lands well placed; onto an
                     * unsorted one only where it undercuts nothing */
                    int x = CTOP(b, o), t = CTOP(b, d);
                    if (!any && (clean[d] ? x > t : (narrow || x < t)))
                        continue;
                    Move m = {0, (uint8_t)o, (uint8_t)d};
                    score_child(&z, nd, i, &m, 1, kids, &nc);
                }
            }
            /* dismantling each stack */
            for (int v = 0; v < S; v++) {
                if (b->h[v] == 0)
                    continue;
                CBay w = *b;
                int cl[CMAXS];
                memcpy(cl, clean, sizeof(cl));
                Move m[CMAXH + 1];
                int n = 0;
                while (w.h[v] > 0 && n < CMAXH) {
                    int d = dismantle_dest(sh, &w, v, cl);
                    if (d < 0)
                        break;
                    c_move(&w, v, d);
                    cl[d] = c_sorted_len(&w, d) == w.h[d];
                    cl[v] = c_sorted_len(&w, v) == w.h[v];
                    m[n++] = (Move){0, (uint8_t)v, (uint8_t)d};
                    if (reachable_height(sh, &w, v, cl) == H)
                        break;
                }
                if (n > 0)
                    score_child(&z, nd, i, m, n, kids, &nc);
            }
        }
        if (nc == 0)
            break;
        /* a wide level takes tens of milliseconds to sort: not past the deadline (the
         * plans found while scoring are kept already) */
        double sort_start = now();
        if (sort_start + sort_rate * nc > deadline) {
            *timed_out = 1;
            goto done;
        }
        qsort(kids, (size_t)nc, sizeof(Child), child_cmp);
        double rate = (now() - sort_start) / nc * 1.5;
        if (rate > sort_rate)
            sort_rate = rate;
        int nn = 0;
        memset(seen, 0, sizeof(uint64_t) * (size_t)seen_size);
        for (int i = 0; i < nc && nn < width; i++) {
            Child *c = &kids[i];
            Node *p = &level[c->parent];
            if (p->g + c->n + c->lb >= *best)
                continue;
            if (!seen_first(seen, seen_size, c->key))
                continue; /* one copy of each bay per level */
            if (!fewest_first(&reached, c->key, p->g + c->n))
                continue; /* reached before in as few moves */
            Node *q = &next[nn];
            q->bay = p->bay;
            for (int k = 0; k < c->n; k++)
                c_move(&q->bay, c->m[k].from, c->m[k].to);
            q->g = p->g + c->n;
            q->seg = pool_add(&pool, p->seg, c->m, c->n);
            if (q->seg < 0)
                goto done;
            nn++;
        }
        Node *t = level;
        level = next;
        next = t;
        nlevel = nn;
    }
done:
    free(reached.slot);
    free(level);
    free(next);
    free(kids);
    free(seen);
    free(pool.seg);
    free(pool.mv);
}

/* Shorten a plan without changing where it ends: a box set down on stack b and taken off
 * b again before anything else touches b goes straight to its second stack, when nothing in
 * between touches its first or second stack either (and disappears when they are the same).
 * Returns the new length. */
static int compress(Move *m, int n)
{
    if (debug_flags & 8)
        return n;
    int changed = 1;
    while (changed) {
        changed = 0;
        for (int i = 0; i < n && !changed; i++) {
            int a = m[i].from, b = m[i].to;
            for (int j = i + 1; j < n; j++) {
                int touches_b = m[j].from == b || m[j].to == b;
                if (!touches_b) {
                    if (m[j].from == a || m[j].to == a)
                        break;
                    continue;
                }
                if (m[j].from != b)
                    break;
                int c = m[j].to, clear = 1;
                for (int k = i + 1; k < j && clear; k++)
                    if (m[k].from == c || m[k].to == c)
                        clear = 0;
                if (!clear)
                    break;
                if (c == a) {
                    memmove(m + j, m + j + 1, sizeof(Move) * (size_t)(n - j - 1));
                    n--;
                } else {
                    m[j].from = (uint8_t)a;
                }
                memmove(m + i, m + i + 1, sizeof(Move) * (size_t)(n - i - 1));
                n--;
                changed = 1;
                break;
            }
        }
    }
    return n;
}

/* Search again from part-way along the best plan: beams from the bay after its first k
 * moves look for a shorter way to finish (the prefix kept).  Cut points at a quarter, a
 * half and three quarters of the plan, widths doubling each round, until the deadline.
 * The root beam cannot grow wide on large bays in the time; these shorter searches can.
 * On 60 instances each of the DLTS cv1 test sets, 1 s, with the last quarter of the time
 * given to them: 10x5 4.95 % -> 4.29 %, 7x5 3.92 % -> 3.98 %, 5x5 3.30 % -> 3.75 %; so
 * that quarter is kept for them on bays of SUFFIX_MIN_STACKS stacks or more only.  On any
 * bay they also get the time the root beams leave over. */
#define SUFFIX_SPLIT 0.75
#define SUFFIX_MIN_STACKS 8
static void cpmp_suffixes(const CShape *sh, const CBay *root, int *best, Move *bestm,
                          double deadline)
{
    Move *tail = malloc(sizeof(Move) * CPMP_MAXLEN);
    if (!tail)
        return;
    int timed_out = 0;
    for (int width = 4; !timed_out && now() < deadline && width <= 1 << 14; width *= 2) {
        for (int part = 1; part <= 3 && !timed_out; part++) {
            int k = *best * part / 4;
            if (k <= 0 || k >= *best)
                continue;
            CBay mid = *root;
            for (int i = 0; i < k; i++)
                c_move(&mid, bestm[i].from, bestm[i].to);
            for (int narrow = 1; narrow >= 0 && !timed_out; narrow--) {
                int rest = *best - k;
                cpmp_beam(sh, &mid, width, narrow, 1, deadline, &rest, tail, &timed_out);
                if (k + rest < *best) {
                    memcpy(bestm + k, tail, sizeof(Move) * (size_t)rest);
                    *best = compress(bestm, k + rest);
                }
            }
        }
    }
    free(tail);
}

static PyObject *py_cpmp_solve(PyObject *self, PyObject *args)
{
    PyObject *stacks;
    int H;
    double time_limit;
    if (!PyArg_ParseTuple(args, "Oid", &stacks, &H, &time_limit))
        return NULL;
    init_z();
    Bay *tmp = malloc(sizeof(Bay));
    if (!tmp)
        return PyErr_NoMemory();
    int count[256];
    if (read_bay(stacks, H, tmp, count) < 0) {
        free(tmp);
        return NULL;
    }
    if (tmp->S > CMAXS || tmp->H > CMAXH) {
        PyErr_Format(PyExc_ValueError, "pre-marshalling takes up to %d stacks and height %d",
                     CMAXS, CMAXH);
        free(tmp);
        return NULL;
    }
    CShape sh = {tmp->S, tmp->H};
    CBay root;
    memset(&root, 0, sizeof(root));
    for (int s = 0; s < tmp->S; s++) {
        root.h[s] = (uint8_t)tmp->h[s];
        memcpy(root.c[s], tmp->c[s], (size_t)tmp->h[s]);
    }
    free(tmp);
    int nbp;
    int lower = cpmp_bound(&sh, &root, &nbp);
    int best = CPMP_MAXLEN, timed_out = 0;
    Move *bestm = malloc(sizeof(Move) * CPMP_MAXLEN);
    if (!bestm)
        return PyErr_NoMemory();
    Py_BEGIN_ALLOW_THREADS
    /* a beam reads the clock once a bay; the last bay can take a few milliseconds more,
     * so the search stops a little early to keep the whole call within the limit */
    double margin = time_limit * 0.02 < 0.015 ? time_limit * 0.02 : 0.015;
    double deadline = now() + time_limit - margin;
    if (lower == 0)
        best = 0;
    else {
        CBay work = root;
        int g = cpmp_greedy(&sh, &work, CPMP_MAXLEN - 1, bestm);
        if (g >= 0)
            best = g;
    }
    if (best < CPMP_MAXLEN)
        best = compress(bestm, best);
    /* widths grow until time is out, up to about a million children in memory: each beam
     * starts afresh, so the last one, the widest, uses the time that is left (on 20
     * instances each of 5x5 and 10x5 cv1, 1 s: 4.51 % gap against 4.89 % by doubling) */
    int max_width = (1 << 20) / (sh.S * sh.S + sh.S + 1);
    /* large bays: the last quarter of the time goes to searching again from part-way along
     * the best plan (see cpmp_suffixes) */
    double full_deadline = deadline;
    int suffixes = sh.S >= SUFFIX_MIN_STACKS && !(debug_flags & 16384);
    if (suffixes)
        deadline = now() + SUFFIX_SPLIT * time_limit;
    for (int width = 1; !timed_out && best > lower && width <= max_width;) {
        double started = now();
        /* a portfolio: the narrow beam serves large bays, the wide one small bays; the
         * ranking by bound tight bays, the ranking by greedy completion roomy ones (on 30
         * instances of each DLTS test group, 1 s: mean gap 2.56 % with both against 3.4 %
         * with the first alone) */
        for (int full = 0; full <= 1; full++) {
            if (debug_flags & (full ? 4096 : 8192))
                continue;
            if (!timed_out && best > lower)
                cpmp_beam(&sh, &root, width, 1, full, deadline, &best, bestm, &timed_out);
            if (!timed_out && best > lower)
                cpmp_beam(&sh, &root, width, 0, full, deadline, &best, bestm, &timed_out);
        }
        if (best < CPMP_MAXLEN)
            best = compress(bestm, best);
        if (debug_flags & 64)
            fprintf(stderr, "CPMP width %d: best %d at %.3f s\n", width, best,
                    now() - full_deadline + time_limit);
        /* the next width: double, or wider still when the time left allows it (a beam's
         * time grows about linearly with its width) */
        double took = now() - started, left = deadline - now();
        int next = 2 * width;
        while (2 * next <= max_width && took * (2.0 * next / width) < left)
            next *= 2;
        /* a beam cut by the deadline is mostly wasted: when the doubled width would not
         * finish, the widest that would, if it is wider by a quarter; else the time left
         * goes to the searches from part-way along the plan */
        if (took * next / width > left) {
            int fit = (int)(0.9 * width * left / took);
            if (fit < width + width / 4)
                break;
            next = fit;
        }
        width = next;
    }
    /* and on smaller bays the time the widest beams left over */
    if (!(debug_flags & 16384) && best > lower && best < CPMP_MAXLEN)
        cpmp_suffixes(&sh, &root, &best, bestm, full_deadline);
    Py_END_ALLOW_THREADS
    PyObject *res;
    if (best >= CPMP_MAXLEN)
        res = Py_BuildValue("(iiOO)", -1, lower, Py_False, Py_None);
    else {
        PyObject *mv = moves_to_list(bestm, best, 0);
        res = mv ? Py_BuildValue("(iiNN)", best, lower, PyBool_FromLong(best == lower), mv) : NULL;
    }
    free(bestm);
    return res;
}
