/*
 * Pre-marshalling (CPMP) beam search, included by _bay.c.
 *
 * A box is well placed when it and every box below it form a non-increasing column
 * (a smaller priority leaves earlier and sits higher).  Every badly placed box moves at
 * least once; and the largest badly placed priority v needs a stack whose well-placed
 * part has no box below v on top of it, so at least the smallest number of such boxes
 * over all stacks must move too (Bortfeldt & Forster 2012, first step of their bound).
 *
 * Beam search keeps the `width` best distinct bays per depth by moves made + that bound,
 * and widens the beam while time is left; the best complete sequence wins.
 */

typedef struct {
    uint8_t h[MAXS];
    uint8_t c[MAXS][MAXH];
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

static int cpmp_bound(const CShape *sh, const CBay *b, int *nbp_out)
{
    int nbp = 0, vmax = 0;
    int sl[MAXS];
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

/* Finish the sort greedily on b (modified).  Each step either sets a badly placed top box
 * down well placed (largest box first, tightest fit), or, when none can be, digs out the
 * stack that needs the fewest removals to become a home for the largest badly placed top.
 * Returns the steps taken, or -1 past `limit`. */
static int cpmp_greedy(const CShape *sh, CBay *b, int limit, Move *out)
{
    int S = sh->S, H = sh->H, steps = 0;
    int home = -1, goal = 0; /* the stack being dug out, and the box it is meant for */
    int last_home = -1, fed = 0;
    for (;;) {
        int nbp;
        if (cpmp_bound(sh, b, &nbp) == 0 || nbp == 0)
            return steps;
        if (steps >= limit)
            return -1;
        int sl[MAXS], clean[MAXS];
        for (int s = 0; s < S; s++) {
            sl[s] = c_sorted_len(b, s);
            clean[s] = sl[s] == b->h[s];
        }
        /* (a) a badly placed top set down well placed */
        int bs = -1, bd = -1, bx = -1, bgap = 1 << 20;
        int xmax = -1;
        for (int s = 0; s < S; s++) {
            if (clean[s])
                continue;
            int x = b->c[s][b->h[s] - 1];
            if (x > xmax)
                xmax = x;
            for (int d = 0; d < S; d++) {
                if (d == s || !clean[d] || b->h[d] >= H)
                    continue;
                int t = b->h[d] ? b->c[d][b->h[d] - 1] : 1000;
                if (t < x)
                    continue;
                int gap = t - x;
                if (x > bx || (x == bx && gap < bgap)) {
                    bx = x;
                    bgap = gap;
                    bs = s;
                    bd = d;
                }
            }
        }
        if (home >= 0) {
            int n = b->h[home];
            if (n == 0 || (sl[home] == n && b->c[home][n - 1] >= goal)) {
                last_home = home;
                home = -1; /* ready: fill it */
            }
        }
        if (bs >= 0 && (home < 0 || bd != home)) {
            home = -1;
            fed += bd == last_home;
            c_move(b, bs, bd);
            if (out)
                out[steps] = (Move){0, (uint8_t)bs, (uint8_t)bd};
            steps++;
            continue;
        }
        /* (b) dig out the cheapest home for xmax, and keep digging it until it is ready */
        if (home < 0) {
            int free_total = 0;
            for (int d = 0; d < S; d++)
                free_total += H - b->h[d];
            int hk = 1 << 20, hroom = -1;
            for (int d = 0; d < S; d++) {
                int k = 0, n = b->h[d];
                while (n > 0 && !(n <= sl[d] && b->c[d][n - 1] >= xmax)) {
                    n--;
                    k++;
                }
                if (k == 0 || k > free_total - (H - b->h[d]))
                    continue;
                if (d == last_home && !fed)
                    k += 100; /* a stack just cleared and not yet used: dig it last */
                int room = H - n;
                if (k < hk || (k == hk && room > hroom)) {
                    hk = k;
                    hroom = room;
                    home = d;
                }
            }
            if (home < 0)
                return -1;
            goal = xmax;
            fed = 0;
        }
        int x = b->c[home][b->h[home] - 1];
        int dest = -1, dscore = 1 << 30;
        for (int e = 0; e < S; e++) {
            if (e == home || b->h[e] >= H)
                continue;
            int t = b->h[e] ? b->c[e][b->h[e] - 1] : 1000;
            int score;
            if (clean[e] && t >= x)
                score = t - x; /* lands well placed */
            else if (!clean[e])
                score = 2000 + b->h[e]; /* onto boxes that must move anyway */
            else
                score = 4000 + (t < 1000 ? 1000 - t : 0) + b->h[e]; /* buries a clean stack */
            if (score < dscore) {
                dscore = score;
                dest = e;
            }
        }
        if (dest < 0)
            return -1;
        c_move(b, home, dest);
        if (out)
            out[steps] = (Move){0, (uint8_t)home, (uint8_t)dest};
        steps++;
    }
}

/* ---- beam search over single moves, each child scored by its greedy completion ---- */

typedef struct {
    int parent;
    uint8_t from, to;
    int score, lb;
    uint64_t key;
} Cand;

typedef struct {
    int parent;
    uint8_t from, to;
} Link;

static int cand_cmp(const void *x, const void *y)
{
    const Cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score - b->score;
    if (a->lb != b->lb)
        return a->lb - b->lb;
    return a->key < b->key ? -1 : a->key > b->key;
}

#define CPMP_MAXLEN 512

static void walk_back(const Link *links, int width, int depth, int idx, Move *out)
{
    for (int d = depth; d >= 1; d--) {
        Link l = links[(size_t)d * (size_t)width + (size_t)idx];
        out[d - 1] = (Move){0, l.from, l.to};
        idx = l.parent;
    }
}

/* One beam search of the given width; improves *best / out when it finds shorter plans. */
static void cpmp_beam(const CShape *sh, const CBay *root, int width, double deadline,
                      int *best, Move *out, int *timed_out, int patience)
{
    int S = sh->S, H = sh->H;
    int maxdepth = *best < CPMP_MAXLEN ? *best : CPMP_MAXLEN;
    CBay *level = malloc(sizeof(CBay) * (size_t)width);
    CBay *next = malloc(sizeof(CBay) * (size_t)width);
    Cand *cand = malloc(sizeof(Cand) * (size_t)width * (size_t)(S * (S - 1) + 1));
    Link *links = malloc(sizeof(Link) * (size_t)width * (size_t)(maxdepth + 1));
    uint8_t *last_to = malloc((size_t)width);
    uint8_t *next_last = malloc((size_t)width);
    Move greedy_moves[CPMP_MAXLEN];
    if (!level || !next || !cand || !links || !last_to || !next_last)
        goto done;
    level[0] = *root;
    last_to[0] = 255;
    int nlevel = 1;
    for (int depth = 1; depth < maxdepth && nlevel > 0; depth++) {
        int nc = 0;
        for (int i = 0; i < nlevel; i++) {
            if (now() > deadline) {
                *timed_out = 1;
                goto done;
            }
            CBay *b = &level[i];
            for (int from = 0; from < S; from++) {
                if (b->h[from] == 0 || from == last_to[i])
                    continue;
                int empty_seen = 0;
                for (int to = 0; to < S; to++) {
                    if (to == from || b->h[to] >= H)
                        continue;
                    if (b->h[to] == 0) {
                        if (empty_seen)
                            continue;
                        empty_seen = 1;
                    }
                    CBay child = *b;
                    c_move(&child, from, to);
                    int nbp;
                    int lb = cpmp_bound(sh, &child, &nbp);
                    if (depth + lb >= *best)
                        continue;
                    CBay work = child;
                    int room = *best - depth - 1;
                    int g = cpmp_greedy(sh, &work, room < patience ? room : patience, greedy_moves);
                    if (g >= 0 && depth + g < *best) {
                        /* a complete plan: path to b, this move, then the greedy */
                        walk_back(links, width, depth - 1, i, out);
                        out[depth - 1] = (Move){0, (uint8_t)from, (uint8_t)to};
                        memcpy(out + depth, greedy_moves, sizeof(Move) * (size_t)g);
                        *best = depth + g;
                    }
                    Cand *c = &cand[nc++];
                    c->parent = i;
                    c->from = (uint8_t)from;
                    c->to = (uint8_t)to;
                    c->score = g >= 0 ? depth + g : (1 << 20) + depth + lb;
                    c->lb = lb;
                    c->key = cbay_key(sh, &child);
                }
            }
        }
        if (nc == 0)
            break;
        qsort(cand, (size_t)nc, sizeof(Cand), cand_cmp);
        int nn = 0;
        for (int i = 0; i < nc && nn < width; i++) {
            if (depth + cand[i].lb >= *best || cand[i].lb == 0)
                continue;
            int dup = 0;
            for (int j = nn - 1; j >= 0 && j >= nn - 16; j--)
                if (cand[i].key == cand[j].key) {
                    dup = 1;
                    break;
                }
            if (dup)
                continue;
            cand[nn++] = cand[i];
        }
        for (int i = 0; i < nn; i++) {
            Cand *c = &cand[i];
            CBay nb = level[c->parent];
            c_move(&nb, c->from, c->to);
            next[i] = nb;
            next_last[i] = c->to;
            links[(size_t)depth * (size_t)width + (size_t)i] = (Link){c->parent, c->from, c->to};
        }
        CBay *t = level;
        level = next;
        next = t;
        uint8_t *u = last_to;
        last_to = next_last;
        next_last = u;
        nlevel = nn;
    }
done:
    free(level);
    free(next);
    free(cand);
    free(links);
    free(last_to);
    free(next_last);
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
    CShape sh = {tmp->S, tmp->H};
    CBay root;
    memset(&root, 0, sizeof(root));
    for (int s = 0; s < tmp->S; s++) {
        root.h[s] = (uint8_t)tmp->h[s];
        memcpy(root.c[s], tmp->c[s], (size_t)tmp->h[s]);
    }
    free(tmp);
    int nbp, nboxes = 0;
    for (int s = 0; s < sh.S; s++)
        nboxes += root.h[s];
    int lower = cpmp_bound(&sh, &root, &nbp);
    int best = CPMP_MAXLEN, timed_out = 0;
    Move *bestm = malloc(sizeof(Move) * CPMP_MAXLEN);
    if (!bestm)
        return PyErr_NoMemory();
    Py_BEGIN_ALLOW_THREADS
    double deadline = now() + time_limit;
    if (lower == 0)
        best = 0;
    else {
        CBay work = root;
        int g = cpmp_greedy(&sh, &work, CPMP_MAXLEN - 1, bestm);
        if (g >= 0)
            best = g;
    }
    for (int width = 1; !timed_out && best > lower && width <= (1 << 12); width *= 2)
        cpmp_beam(&sh, &root, width, deadline, &best, bestm, &timed_out, 2 * nboxes + 10);
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
