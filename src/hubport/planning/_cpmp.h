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

typedef struct {
    int parent;
    uint8_t from, to;
    int f, lb;
    uint64_t key;
    uint32_t tie;
} Cand;

typedef struct {
    int parent;
    uint8_t from, to;
} Link;

static int cand_cmp(const void *x, const void *y)
{
    const Cand *a = x, *b = y;
    if (a->f != b->f)
        return a->f - b->f;
    if (a->lb != b->lb)
        return a->lb - b->lb;
    if (a->tie != b->tie)
        return a->tie < b->tie ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

/* Tie-break among equal bounds: prefer bays whose badly placed boxes sit high and whose
 * stack tops leave room for the largest of them. */
static uint32_t cpmp_tie(const CShape *sh, const CBay *b)
{
    uint32_t t = 0;
    for (int s = 0; s < sh->S; s++) {
        int sl = c_sorted_len(b, s);
        for (int k = sl; k < b->h[s]; k++)
            t += (uint32_t)(b->h[s] - k);
    }
    return t;
}

/* One beam search; returns the number of moves found (or -1) and fills out/olen. */
static int cpmp_beam(const CShape *sh, const CBay *root, int width, int cap, double deadline,
                     Move *out, int *olen, int *timed_out)
{
    int S = sh->S, H = sh->H;
    int maxdepth = cap < 400 ? cap : 400;
    CBay *level = malloc(sizeof(CBay) * (size_t)width);
    CBay *next = malloc(sizeof(CBay) * (size_t)width);
    Cand *cand = malloc(sizeof(Cand) * (size_t)width * (size_t)(S * (S - 1) + 1));
    Link *links = malloc(sizeof(Link) * (size_t)width * (size_t)(maxdepth + 1));
    uint8_t *last_to = malloc((size_t)width);
    uint8_t *next_last = malloc((size_t)width);
    int result = -1;
    if (!level || !next || !cand || !links || !last_to || !next_last)
        goto done;
    level[0] = *root;
    last_to[0] = 255;
    int nlevel = 1;
    int nbp;
    if (cpmp_bound(sh, root, &nbp) == 0) {
        result = 0;
        *olen = 0;
        goto done;
    }
    for (int depth = 1; depth <= maxdepth && nlevel > 0; depth++) {
        if (now() > deadline) {
            *timed_out = 1;
            break;
        }
        int nc = 0;
        for (int i = 0; i < nlevel; i++) {
            CBay *b = &level[i];
            for (int from = 0; from < S; from++) {
                if (b->h[from] == 0 || from == last_to[i])
                    continue;
                uint8_t x = b->c[from][b->h[from] - 1];
                int empty_seen = 0;
                for (int to = 0; to < S; to++) {
                    if (to == from || b->h[to] >= H)
                        continue;
                    if (b->h[to] == 0) {
                        if (empty_seen)
                            continue;
                        empty_seen = 1;
                    }
                    b->h[from]--;
                    b->c[to][b->h[to]++] = x;
                    int lb = cpmp_bound(sh, b, &nbp);
                    int f = depth + lb;
                    if (f < cap) {
                        Cand *c = &cand[nc++];
                        c->parent = i;
                        c->from = (uint8_t)from;
                        c->to = (uint8_t)to;
                        c->f = f;
                        c->lb = lb;
                        c->key = cbay_key(sh, b);
                        c->tie = cpmp_tie(sh, b);
                    }
                    b->h[to]--;
                    b->c[from][b->h[from]++] = x;
                }
            }
        }
        if (nc == 0)
            break;
        qsort(cand, (size_t)nc, sizeof(Cand), cand_cmp);
        int nn = 0;
        for (int i = 0; i < nc && nn < width; i++) {
            /* skip a bay already chosen at this depth (sorted by key within equal f/lb/tie
             * makes duplicates adjacent most of the time; check the last few) */
            int dup = 0;
            for (int j = nn - 1; j >= 0 && j >= nn - 8; j--)
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
            uint8_t x = nb.c[c->from][--nb.h[c->from]];
            nb.c[c->to][nb.h[c->to]++] = x;
            next[i] = nb;
            next_last[i] = c->to;
            links[(size_t)depth * (size_t)width + (size_t)i] = (Link){c->parent, c->from, c->to};
            if (c->lb == 0) {
                /* sorted: walk the links back */
                result = depth;
                int idx = i;
                for (int d = depth; d >= 1; d--) {
                    Link l = links[(size_t)d * (size_t)width + (size_t)idx];
                    out[d - 1] = (Move){0, l.from, l.to};
                    idx = l.parent;
                }
                *olen = depth;
                goto done;
            }
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
    return result;
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
    int nbp;
    int lower = cpmp_bound(&sh, &root, &nbp);
    int best = -1, blen = 0, timed_out = 0;
    Move *bestm = malloc(sizeof(Move) * 512);
    Move *m = malloc(sizeof(Move) * 512);
    if (!bestm || !m) {
        free(bestm);
        free(m);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    double deadline = now() + time_limit;
    for (int width = 4; !timed_out; width *= 2) {
        int len = 0;
        int cap = best < 0 ? 401 : best;
        int r = cpmp_beam(&sh, &root, width, cap, deadline, m, &len, &timed_out);
        if (r >= 0 && (best < 0 || r < best)) {
            best = r;
            blen = len;
            memcpy(bestm, m, sizeof(Move) * (size_t)len);
        }
        if (best == lower || width >= (1 << 14))
            break;
    }
    Py_END_ALLOW_THREADS
    PyObject *res;
    if (best < 0)
        res = Py_BuildValue("(iiOO)", -1, lower, Py_False, Py_None);
    else {
        PyObject *mv = moves_to_list(bestm, blen, 0);
        res = mv ? Py_BuildValue("(iiNN)", best, lower, PyBool_FromLong(best == lower), mv) : NULL;
    }
    free(bestm);
    free(m);
    return res;
}
