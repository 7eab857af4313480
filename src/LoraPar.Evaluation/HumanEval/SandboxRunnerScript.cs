using System.Globalization;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>
/// The Python runner that the sandbox starts in each program's folder. Before it runs the program it sets resource limits
/// (address space, CPU time, file size, no core dumps) and installs an audit hook (PEP 578, which cannot be removed again)
/// that refuses: file writes, renames, deletions, links and permission changes outside the working folder (the null device excepted); starting or
/// signalling processes; sockets and name lookups; loading native libraries through ctypes; and changing resource limits.
/// The program passes only if it runs to its end: then, and only then, the runner writes the run's nonce to the status file.
/// </summary>
internal static class SandboxRunnerScript
{
    /// <summary>The file name of the program to run, in the working folder.</summary>
    public const string ProgramFile = "program.py";

    /// <summary>The file name of the runner, in the working folder.</summary>
    public const string RunnerFile = "runner.py";

    /// <summary>The file the runner writes the nonce to when the program completed.</summary>
    public const string StatusFile = "status";

    /// <summary>The runner for one program.</summary>
    public static string Render(SandboxOptions options, string nonce) => Template
        .Replace("@MEMORY@", options.MemoryBytes.ToString(CultureInfo.InvariantCulture))
        .Replace("@CPU@", options.CpuSeconds.ToString(CultureInfo.InvariantCulture))
        .Replace("@FSIZE@", options.MaxFileBytes.ToString(CultureInfo.InvariantCulture))
        .Replace("@NONCE@", nonce)
        .Replace("@PROGRAM@", ProgramFile)
        .Replace("@STATUS@", StatusFile);

    private const string Template = """
        import builtins, os, resource, sys, traceback

        WORKDIR = os.path.realpath(os.getcwd())
        WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

        def limit(kind, value):
            resource.setrlimit(kind, (value, value))

        limit(resource.RLIMIT_AS, @MEMORY@)
        limit(resource.RLIMIT_DATA, @MEMORY@)
        resource.setrlimit(resource.RLIMIT_CPU, (@CPU@, @CPU@ + 1))
        limit(resource.RLIMIT_FSIZE, @FSIZE@)
        limit(resource.RLIMIT_CORE, 0)

        def inside(path):
            if isinstance(path, int) or path is None:
                return True
            real = os.path.realpath(os.fsdecode(path))
            if real == os.devnull:
                return True
            return real == WORKDIR or real.startswith(WORKDIR + os.sep)

        FORBIDDEN = {
            "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.kill", "os.killpg",
            "subprocess.Popen", "pty.spawn", "socket.__new__", "socket.connect", "socket.bind", "socket.sendto",
            "socket.sendmsg", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "ctypes.dlopen",
            "ctypes.dlsym", "resource.setrlimit", "resource.prlimit", "os.chroot", "sys.remote_exec",
        }
        PATH_ARGS = {
            "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.rename": (0, 1), "os.link": (0, 1),
            "os.symlink": (1,), "os.truncate": (0,), "os.chmod": (0,), "os.chown": (0,), "os.utime": (0,),
            "os.chflags": (0,), "os.lchflags": (0,), "os.mkfifo": (0,), "os.mknod": (0,), "shutil.rmtree": (0,),
            "shutil.copyfile": (1,), "shutil.copymode": (1,), "shutil.copystat": (1,), "shutil.move": (0, 1),
        }

        def refuse(message):
            raise PermissionError("sandbox: " + message)

        def audit(event, args):
            if event == "open":
                if isinstance(args[2], int) and args[2] & WRITE_FLAGS and not inside(args[0]):
                    refuse("writing outside the working folder is not allowed: %r" % (args[0],))
            elif event in FORBIDDEN:
                refuse(event + " is not allowed")
            elif event in PATH_ARGS:
                for index in PATH_ARGS[event]:
                    if index < len(args) and not inside(args[index]):
                        refuse("%s outside the working folder is not allowed: %r" % (event, args[index]))

        with open("@PROGRAM@", encoding="utf-8") as source_file:
            source = source_file.read()
        status = open("@STATUS@", "w")
        sys.addaudithook(audit)
        try:
            code = compile(source, "@PROGRAM@", "exec")
            exec(code, {"__name__": "__main__", "__builtins__": builtins})
        except BaseException:
            traceback.print_exc()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(1)
        sys.stdout.flush()
        status.write("@NONCE@")
        status.close()
        os._exit(0)
        """;
}
