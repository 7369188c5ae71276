# Counts executed atomic read-modify-write instructions (lock-prefixed, xchg with memory) per function from a
# callgrind --dump-instr=yes --compress-pos=no --compress-strings=no profile (see atomics.sh).
# Usage: atomics.py PROFILE [UNITS]  — prints totals divided by UNITS (e.g. the number of spans).
# Callgrind records run-time addresses; each object's load base is recovered from its symbols (nm), and the
# instructions at those addresses are classified with objdump.
import sys, re, subprocess, collections
prof=sys.argv[1]; n=int(sys.argv[2]) if len(sys.argv)>2 else 1
blocks=collections.defaultdict(lambda: collections.defaultdict(int))  # (ob,fn) -> addr -> count
ob=fn=None; incall=False
for line in open(prof):
    if line.startswith('ob='): ob=line[3:].strip(); continue
    if line.startswith('fn='): fn=line[3:].strip(); continue
    if line.startswith(('cob=','cfn=','cfi=','cfl=','fl=','fi=','fe=')): continue
    if line.startswith('calls='): incall=True; continue
    m=re.match(r'(0x[0-9a-f]+) \d+ (\d+)',line)
    if m:
        if incall: incall=False; continue   # the line after calls= is the call cost (inclusive), skip
        blocks[(ob,fn)][int(m.group(1),16)]+=int(m.group(2))
objs=set(o for o,_ in blocks)
atomic_total=collections.Counter()
for o in objs:
    try: syms=subprocess.run(['nm','--defined-only',o],capture_output=True,text=True).stdout
    except Exception: continue
    symaddr={}
    for l in syms.splitlines():
        p=l.split()
        if len(p)==3: symaddr[p[2]]=int(p[0],16)
    if not symaddr:
        syms=subprocess.run(['nm','-D','--defined-only',o],capture_output=True,text=True).stdout
        for l in syms.splitlines():
            p=l.split()
            if len(p)==3: symaddr[p[2]]=int(p[0],16)
    bases=collections.Counter()
    for (oo,f),addrs in blocks.items():
        f0=f.split("'")[0]
        if oo!=o or f0 not in symaddr: continue
        bases[min(addrs)-symaddr[f0]]+=1
    if not bases: continue
    base=bases.most_common(1)[0][0]
    dis=subprocess.run(['objdump','-d','--no-show-raw-insn',o],capture_output=True,text=True).stdout
    atomic_addrs=set()
    for l in dis.splitlines():
        m=re.match(r'\s+([0-9a-f]+):\s+(.*)',l)
        if not m: continue
        ins=m.group(2)
        if ins.startswith('lock') or (ins.startswith('xchg') and '(' in ins):
            atomic_addrs.add(int(m.group(1),16))
    for (oo,f),addrs in blocks.items():
        if oo!=o: continue
        for a,c in addrs.items():
            if a-base in atomic_addrs: atomic_total[f]+=c
tot=sum(atomic_total.values())
print("total atomic RMW instructions: %d (%.1f per unit)"%(tot,tot/n))
for f,c in atomic_total.most_common(25):
    print("%8.2f  %s"%(c/n,f[:150]))
