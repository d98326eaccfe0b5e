# Per-round scores and per-round ratios to raw from an interleaved run: python3 jgql-bench/rounds.py OUT/interleaved
import json, glob, re, sys, statistics
d = sys.argv[1]
rows = {}
for f in sorted(glob.glob(d + '/jdk*-r*-*.json')):
    m = re.match(r'.*/jdk(\d)-r(\d)-(\w+)\.json', f)
    if not m: continue
    j, r, client = m.groups()
    try: data = json.load(open(f))
    except Exception: continue
    for res in data:
        meth = res['benchmark'].split('.')[-1]
        size = res['params'].get('size')
        cl = res['params'].get('client', 'smallrye')
        rows.setdefault((j, size, meth), {}).setdefault(cl, {})[int(r)] = res['primaryMetric']['score']
order = ['raw','jgql','jgqlEngine','jgqlListener','jgqlVertx','smallrye','jgqlWs','jgqlVertxWs']
for key in sorted(rows):
    j, size, meth = key
    print(f"\n### JDK{'17' if j=='1' else '25'} {size} {'1 caller' if meth=='throughput1' else '64 callers'}")
    print("| client | r1 | r2 | r3 | median | per-round ratio to raw (median) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    raw = rows[key].get('raw', {})
    for cl in order:
        if cl not in rows[key]: continue
        v = rows[key][cl]
        vals = [v.get(i) for i in (1,2,3)]
        med = statistics.median([x for x in vals if x is not None])
        ratios = [v[i]/raw[i] for i in v if i in raw]
        rr = statistics.median(ratios) if ratios else float('nan')
        print(f"| {cl} | " + " | ".join('' if x is None else f"{x:.0f}" for x in vals) + f" | {med:.0f} | {rr:.2f} |")
