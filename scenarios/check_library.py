# Sanity check of the scenario library (data only): run from scenarios/ with `python3 check_library.py`.
import yaml, os, glob, re
idx = yaml.safe_load(open('index.yaml'))['scenarios']
ids = [e['id'] for e in idx]
assert len(ids)==len(set(ids))
dirs = set(os.path.dirname(f) for f in glob.glob('**/scenario.yaml', recursive=True))
paths = set(e.get('path', e['id']) for e in idx)
assert dirs == paths, (dirs ^ paths)
durre = re.compile(r'^(\d+h)?(\d+m)?(\d+(ms|s)?)?$')
for e in idx:
    d = e.get('path', e['id'])
    s = yaml.safe_load(open(f'{d}/scenario.yaml'))
    assert s['id']==e['id'], d
    for k in ['title','source','files','until','seed','notes','expect']:
        assert k in s, (d,k)
    for f in s['files']:
        assert os.path.exists(f'{d}/{f}'), (d,f)
        if d != 'validation-bad-indentation': list(yaml.safe_load_all(open(f'{d}/{f}')))
    cmds = set()
    if 'script' in s:
        for l in open(f"{d}/{s['script']}").read().splitlines():
            if not l.strip() or l.startswith('#'): continue
            m = re.match(r'^@(\S+)\s+(.*)$', l); assert m, (d,l)
            assert durre.match(m.group(1)), (d, l)
            cmds.add(m.group(2).strip())
            fm = re.search(r' -f (\S+)', l)
            if fm: assert os.path.exists(f'{d}/{fm.group(1)}'), (d, fm.group(1))
    anchors = s.get('anchors', {})
    for a in s['expect']:
        if 'output' in a: assert a['output'] in cmds, (d, a['output'])
        for key in ('at','between'):
            if key in a:
                for v in (a[key] if key=='between' else [a[key]]):
                    v=str(v)
                    if not durre.match(v): assert re.split(r'[+-]', v)[0] in anchors, (d, v)
    assert e['category'] in ['probes','init','hooks','restart','images','termination','validation','services','controllers']
print(len(idx), "scenarios ok")
