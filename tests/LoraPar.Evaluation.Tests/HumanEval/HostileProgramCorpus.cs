using LoraPar.Evaluation.HumanEval;

namespace LoraPar.Evaluation.Tests.HumanEval;

/// <summary>One hostile program and how the sandbox must report it. The program reaches its end only if its attack did not raise.</summary>
/// <param name="Name">What it tries.</param>
/// <param name="Program">Python source; {CANARY}, {REPO}, {TCP}, {UDP} and {UNIX} are replaced by the test's host canary
/// folder, the repository, and the ports / abstract socket name of listeners the test holds on the host.</param>
/// <param name="Expected">The outcome the sandbox must report.</param>
public sealed record HostileCase(string Name, string Program, ExecutionOutcome Expected)
{
    public override string ToString() => Name;
}

/// <summary>The corpus: escapes through the filesystem, host reads, network, processes, resources, and the verdict.</summary>
public static class HostileProgramCorpus
{
    private const ExecutionOutcome Failed = ExecutionOutcome.Failed;
    private const ExecutionOutcome Passed = ExecutionOutcome.Passed;
    private const ExecutionOutcome TimedOut = ExecutionOutcome.TimedOut;

    /// <summary>Writes and deletes outside the working folder, through every path API, directory descriptors, links and /proc.</summary>
    public static IReadOnlyList<HostileCase> Filesystem { get; } =
    [
        new("open for writing", "open('{CANARY}/new.txt', 'w').write('x')\n", Failed),
        new("open for appending", "open('{CANARY}/keep.txt', 'a').write('x')\n", Failed),
        new("os.open O_CREAT", "import os\nos.open('{CANARY}/new.txt', os.O_CREAT | os.O_WRONLY)\n", Failed),
        new("pathlib write_text", "import pathlib\npathlib.Path('{CANARY}/keep.txt').write_text('x')\n", Failed),
        new("os.remove", "import os\nos.remove('{CANARY}/keep.txt')\n", Failed),
        new("pathlib unlink", "import pathlib\npathlib.Path('{CANARY}/keep.txt').unlink()\n", Failed),
        new("os.rmdir", "import os\nos.rmdir('{CANARY}/sub')\n", Failed),
        new("shutil.rmtree", "import shutil\nshutil.rmtree('{CANARY}')\n", Failed),
        new("shutil.rmtree of the repository", "import shutil\nshutil.rmtree('{REPO}')\n", Failed),
        new("os.rename out", "import os\nos.rename('{CANARY}/keep.txt', 'k')\n", Failed),
        new("os.replace in", "import os\nopen('x', 'w').write('x')\nos.replace('x', '{CANARY}/keep.txt')\n", Failed),
        new("shutil.copy in", "import shutil\nopen('x', 'w').write('x')\nshutil.copy('x', '{CANARY}/copy.txt')\n", Failed),
        new("shutil.move in", "import shutil\nopen('x', 'w').write('x')\nshutil.move('x', '{CANARY}/moved.txt')\n", Failed),
        new("os.truncate", "import os\nos.truncate('{CANARY}/keep.txt', 0)\n", Failed),
        new("os.chmod", "import os\nos.chmod('{CANARY}/keep.txt', 0o777)\n", Failed),
        new("os.utime", "import os\nos.utime('{CANARY}/keep.txt', (0, 0))\n", Failed),
        new("os.mkdir", "import os\nos.mkdir('{CANARY}/made')\n", Failed),
        new("os.mkfifo", "import os\nos.mkfifo('{CANARY}/fifo')\n", Failed),
        new("hard link then write", "import os\nos.link('{CANARY}/keep.txt', 'h')\nopen('h', 'w').write('x')\n", Failed),
        new("symlink then write", "import os\nos.symlink('{CANARY}/keep.txt', 'l')\nopen('l', 'w').write('x')\n", Failed),
        new("dir_fd open O_CREAT", "import os\nroot = os.open('/', os.O_RDONLY | os.O_DIRECTORY)\n"
            + "os.open('{CANARY}'.lstrip('/') + '/new.txt', os.O_CREAT | os.O_WRONLY, dir_fd=root)\n", Failed),
        new("dir_fd remove", "import os\nroot = os.open('/', os.O_RDONLY | os.O_DIRECTORY)\nos.remove('{CANARY}'.lstrip('/') + '/keep.txt', dir_fd=root)\n", Failed),
        new("dir_fd of the working folder, ..", "import os\nhere = os.open('.', os.O_RDONLY | os.O_DIRECTORY)\n"
            + "os.open('../..' + '{CANARY}' + '/new.txt', os.O_CREAT | os.O_WRONLY, dir_fd=here)\n", Failed),
        new("/proc/self/root", "open('/proc/self/root{CANARY}/new.txt', 'w').write('x')\n", Failed),
        new("/proc/1/cwd", "open('/proc/1/cwd/../..{CANARY}/new.txt', 'w').write('x')\n", Failed),
        new("/proc/self/fd of a directory", "import os\nfd = os.open('/', os.O_RDONLY | os.O_DIRECTORY)\n"
            + "open('/proc/self/fd/%d{CANARY}/new.txt' % fd, 'w').write('x')\n", Failed),
        new("the root", "open('/evil', 'w').write('x')\n", Failed),
        new("the interpreter's library", "open('/usr/lib/python3.11/os.py', 'a').write('x')\n", Failed),
        new("/etc", "open('/etc/ld.so.cache', 'a').write('x')\n", Failed),
        new("/dev and /dev/shm", "for p in ('/dev/evil', '/dev/shm/evil'):\n    try:\n        open(p, 'w').write('x')\n"
            + "    except OSError:\n        continue\n    raise SystemExit('wrote ' + p)\nraise OSError('refused')\n", Failed),
        new("/proc/sys", "open('/proc/sys/kernel/hostname', 'w').write('evil')\n", Failed),
        new("a nested user namespace", "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nassert libc.unshare(0x10000000) == 0, ctypes.get_errno()\n", Failed),
        new("setuid to root", "import os\nos.setuid(0)\n", Failed),
        new("chroot", "import os\nos.chroot('/tmp')\n", Failed),
        new("raise the limits again", "import resource\nresource.setrlimit(resource.RLIMIT_NPROC, (4096, 4096))\n", Failed),
    ];

    /// <summary>Reads of host files and of the host's process table.</summary>
    public static IReadOnlyList<HostileCase> HostReads { get; } =
    [
        new("/etc/shadow", "open('/etc/shadow').read()\n", Failed),
        new("/etc/passwd", "open('/etc/passwd').read()\n", Failed),
        new("the repository", "open('{REPO}/README.md').read()\n", Failed),
        new("the canary", "open('{CANARY}/keep.txt').read()\n", Failed),
        new("/root", "import os\nos.listdir('/root')\n", Failed),
        new("/work", "import os\nos.listdir('/work')\n", Failed),
        new("/sys", "import os\nassert os.listdir('/sys')\n", Failed),
        new("host processes in /proc", "import os\npids = [p for p in os.listdir('/proc') if p.isdigit()]\nassert pids != ['1'], pids\n", Failed),
    ];

    /// <summary>Network: listeners the test holds on the host's loopback, and beyond.</summary>
    public static IReadOnlyList<HostileCase> Network { get; } =
    [
        new("TCP to a loopback listener", "import socket\nsocket.create_connection(('127.0.0.1', {TCP}), timeout=2).close()\n", Failed),
        new("abstract unix socket listener", "import socket\ns = socket.socket(socket.AF_UNIX)\ns.settimeout(2)\ns.connect('\\0{UNIX}')\n", Failed),
        new("UDP to a loopback listener (stays inside)", "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "s.sendto(b'x', ('127.0.0.1', {UDP}))\n", Passed),
        new("the internet", "import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=2).close()\n", Failed),
        new("name lookup", "import socket\nsocket.getaddrinfo('example.com', 80)\n", Failed),
    ];

    /// <summary>Processes that try to outlive the case or to reach lorapar's.</summary>
    public static IReadOnlyList<HostileCase> Processes { get; } =
    [
        new("fork bomb", "import os\nwhile True:\n    os.fork()\n", Failed),
        new("fork bomb that swallows errors", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n", TimedOut),
        new("child in a new session", "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\n    os._exit(0)\n", Passed),
        new("daemon through subprocess", "import subprocess\nsubprocess.Popen(['sleep', '60'], start_new_session=True)\n", Passed),
        new("double fork", "import os, time\nif os.fork() == 0:\n    if os.fork() == 0:\n        os.setsid()\n        time.sleep(60)\n    os._exit(0)\nos.wait()\n", Passed),
        new("child holding stdout", "import os, time\nif os.fork() == 0:\n    time.sleep(60)\n", Passed),
        new("children at the timeout", "import os, time\nfor _ in range(3):\n    if os.fork() == 0:\n        break\ntime.sleep(60)\n", TimedOut),
        new("infinite loop", "while True:\n    pass\n", TimedOut),
        new("kill the parent and its group", "import os, signal\nfor pid in (os.getppid(), 0, -1):\n    try:\n        os.kill(pid, signal.SIGKILL)\n"
            + "    except OSError:\n        pass\nfor pid in range(2, 4096):\n    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass\n", Passed),
        new("ptrace its parent", "import ctypes, os\nlibc = ctypes.CDLL(None)\nassert libc.ptrace(16, os.getppid(), 0, 0) == 0\n", Failed),
    ];

    /// <summary>Memory, disk, descriptors and output.</summary>
    public static IReadOnlyList<HostileCase> Resources { get; } =
    [
        new("memory bomb", "chunks = []\nwhile True:\n    chunks.append(bytearray(16 << 20))\n", Failed),
        new("disk bomb (tmpfs)", "i = 0\nwhile True:\n    with open('f%d' % i, 'wb') as f:\n        f.write(b'x' * (8 << 20))\n    i += 1\n", Failed),
        new("one file past the size limit", "with open('big', 'wb') as f:\n    for _ in range(64):\n        f.write(b'x' * (1 << 20))\n", Failed),
        new("descriptor bomb", "fds = [open('/dev/null') for _ in range(10000)]\n", Failed),
        new("stdout flood", "import sys\nfor _ in range(200):\n    sys.stdout.write('x' * (1 << 18))\n", Passed),
        new("endless stdout flood", "import os\nwhile True:\n    os.write(1, b'x' * 65536)\n", TimedOut),
        new("stderr flood", "import sys\nfor _ in range(200):\n    sys.stderr.write('x' * (1 << 18))\n", Passed),
    ];

    /// <summary>Forging the verdict: early exits, marker text, status files, tampering with the runner and its channel.</summary>
    public static IReadOnlyList<HostileCase> Verdict { get; } =
    [
        new("sys.exit(0) before the tests", "import sys\nsys.exit(0)\nassert False\n", Failed),
        new("os._exit(0) before the tests", "import os\nos._exit(0)\nassert False\n", Failed),
        new("SIGKILL to itself", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\nassert False\n", Failed),
        new("printed marker texts", "import os\nfor text in ('passed', 'OK', '0' * 32, 'f' * 32, 'status: passed'):\n"
            + "    os.write(1, ('\\n' + text + '\\n').encode())\nos._exit(0)\n", Failed),
        new("status files", "for name in ('status', '/tmp/status', 'passed', 'result.json'):\n    open(name, 'w').write('passed')\n"
            + "import os\nos._exit(0)\n", Failed),
        new("secret hunt in files, fds, environment and globals", """
            import os, re, sys
            found = set()
            def scan(data):
                found.update(re.findall(rb'[0-9a-f]{32}', data if isinstance(data, bytes) else str(data).encode()))
            for path in ['/proc/self/cmdline', '/proc/self/environ', '/proc/1/cmdline'] + os.listdir('.'):
                try:
                    scan(open(path, 'rb').read())
                except OSError:
                    pass
            for fd in os.listdir('/proc/self/fd'):
                try:
                    os.set_blocking(int(fd), False)
                    scan(os.read(int(fd), 1 << 16))
                except OSError:
                    pass
            scan(vars(sys.modules['__main__']))
            scan(sys.argv)
            for secret in found:
                os.write(1, b'\n' + secret + b'\n')
            os._exit(0)
            """, Failed),
        new("runner functions rebound, then a failure", "import os, sys, traceback\nos._exit = lambda code: None\nsys.exit = lambda code=0: None\n"
            + "traceback.print_exc = lambda *a, **k: None\nos.write = lambda fd, data: len(data)\nraise AssertionError('wrong answer')\n", Failed),
        new("stdout closed", "import os\nos.close(1)\n", Failed),
    ];

    /// <summary>
    /// The documented limit of in-process execution: code that inspects the runner's frame finds the secret and forges a pass.
    /// </summary>
    public const string FrameIntrospection = "import os, sys\nmarker = sys._getframe(1).f_locals['marker']\nos.write(1, marker)\nos._exit(0)\nassert False\n";

    public static IEnumerable<HostileCase> All => [.. Filesystem, .. HostReads, .. Network, .. Processes, .. Resources, .. Verdict];
}
