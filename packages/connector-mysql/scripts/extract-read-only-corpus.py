"""
Extracts the candidate statements of the read-only guard's corpora from local git copies of public
repositories (only the SQL strings are kept), for scripts/label-read-only-corpus.ts to label.
Usage: MIRROR=/path/to/clones python3 extract-read-only-corpus.py sqlglot|docs|unseen OUT_DIR
where MIRROR holds tobymao+sqlglot/repo, mariadb-corporation+mariadb-docs/repo, mysql+mysql-sys/repo and
XD-DENG+SQL-exercise/repo (git directories).
"""
import ast, json, os, re, subprocess, sys

MIRROR = os.environ.get('MIRROR', '/work/.mirror')

def show(repo, path):
    return subprocess.run(['git', '-C', repo, 'show', f'HEAD:{path}'], capture_output=True, text=True, check=True).stdout

def head(repo):
    return subprocess.run(['git', '-C', repo, 'rev-parse', 'HEAD'], capture_output=True, text=True, check=True).stdout.strip()

def sqlglot():
    repo = f'{MIRROR}/tobymao+sqlglot/repo'
    out = []
    tree = ast.parse(show(repo, 'tests/dialects/test_mysql.py'))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ('validate_identity', 'validate_all', 'parse_one'):
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str): out.append(arg.value)
            for kw in node.keywords:
                if kw.arg in ('read', 'write') and isinstance(kw.value, ast.Dict):
                    for k, v in zip(kw.value.keys, kw.value.values):
                        if isinstance(k, ast.Constant) and k.value in ('mysql', 'singlestore', 'doris', 'starrocks') and isinstance(v, ast.Constant) and isinstance(v.value, str):
                            out.append(v.value)
    for line in show(repo, 'tests/fixtures/identity.sql').splitlines():
        if line.strip() and not line.startswith('--'): out.append(line)
    return {'source': f'tobymao/sqlglot@{head(repo)}: tests/dialects/test_mysql.py (validate_identity/validate_all strings) and tests/fixtures/identity.sql', 'statements': out}

def split_statements(text):
    """Splits on ; outside quotes and comments."""
    out, cur, i, q = [], [], 0, None
    while i < len(text):
        c = text[i]
        if q:
            cur.append(c)
            if c == '\\' and q != '`' and i + 1 < len(text): cur.append(text[i+1]); i += 2; continue
            if c == q: q = None
        elif c in "'\"`": q = c; cur.append(c)
        elif c == ';': out.append(''.join(cur)); cur = []
        else: cur.append(c)
        i += 1
    out.append(''.join(cur))
    return out

PROMPT = re.compile(r'^\s*(MariaDB|mysql|MySQL)\s*(\[[^\]]*\])?\s*>\s?')
def docs():
    repo = f'{MIRROR}/mariadb-corporation+mariadb-docs/repo'
    files = subprocess.run(['git', '-C', repo, 'ls-tree', '-r', '--name-only', 'HEAD'], capture_output=True, text=True).stdout.split('\n')
    out = []
    for path in files:
        if not path.endswith('.md') or not path.startswith('server/'): continue
        text = show(repo, path)
        for block in re.findall(r'```(?:sql|SQL|mysql|mariadb)\s*\n(.*?)```', text, re.S):
            lines = []
            for line in block.split('\n'):
                if re.match(r'^\s*[+|]', line) or re.match(r'^\s*\d+ rows? in set|^Query OK|^Empty set|^\*+ \d+\. row|^ERROR \d+', line): lines.append(';'); continue
                m = PROMPT.match(line)
                lines.append(line[m.end():] if m else re.sub(r'^\s*->\s?', '', line))
            for s in split_statements('\n'.join(lines)):
                s = s.strip()
                if s and re.match(r'^[\(A-Za-z/#-]', s) and len(s) < 2000 and 'DELIMITER' not in s.upper(): out.append(s)
    return {'source': f'mariadb-corporation/mariadb-docs@{head(repo)}: ```sql blocks of server/**/*.md', 'statements': out}

def unseen():
    out = []
    repo = f'{MIRROR}/mysql+mysql-sys/repo'
    files = subprocess.run(['git', '-C', repo, 'ls-tree', '-r', '--name-only', 'HEAD'], capture_output=True, text=True).stdout.split('\n')
    for path in files:
        if not (path.startswith('views/') and path.endswith('.sql')): continue
        text = re.sub(r'^\s*--.*$', '', show(repo, path), flags=re.M)
        for s in split_statements(text):
            s = s.strip()
            if not s: continue
            out.append(s)
            m = re.search(r'\bVIEW\b.*?\bAS\s*\n?\s*(\(?\s*SELECT\b.*)', s, re.S | re.I)
            if m: out.append(m.group(1).strip())
    sources = [f'mysql/mysql-sys@{head(repo)}: views/**/*.sql (CREATE VIEW statements and their SELECT bodies)']
    repo2 = f'{MIRROR}/XD-DENG+SQL-exercise/repo'
    files = subprocess.run(['git', '-C', repo2, 'ls-tree', '-r', '--name-only', 'HEAD'], capture_output=True, text=True).stdout.split('\n')
    for path in files:
        if not path.endswith('.sql'): continue
        text = re.sub(r'^\s*(--|#).*$', '', show(repo2, path), flags=re.M)
        for s in split_statements(text):
            s = s.strip()
            if s: out.append(s)
    sources.append(f'XD-DENG/SQL-exercise@{head(repo2)}: **/*.sql')
    return {'source': '; '.join(sources), 'statements': out}

which = sys.argv[1]
data = {'sqlglot': sqlglot, 'docs': docs, 'unseen': unseen}[which]()
seen = set(); uniq = []
for s in data['statements']:
    s = s.strip()
    if s and s not in seen: seen.add(s); uniq.append(s)
data['statements'] = uniq
json.dump(data, open(os.path.join(sys.argv[2], f'{which}.raw.json'), 'w'), indent=0)
print(which, len(uniq))
