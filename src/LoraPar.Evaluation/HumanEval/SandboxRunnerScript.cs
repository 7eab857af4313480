using System.Globalization;
using System.Text;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>
/// The Python runner the sandbox starts for each program (as <c>python3 -I -B -c RUNNER</c>, so it is no file the program
/// could read or change). It sets the resource limits with equal soft and hard values (an unprivileged process cannot raise
/// a hard limit again), reads its standard input — the run's secret on the first line, then the program — replaces standard
/// input with the null device, writes the program to <c>program.py</c> in the working folder (for tracebacks) and executes
/// it. Only when the program ran to its end does it write the secret, framed by newlines, as the last bytes of standard
/// output; then it ends the process at once.
/// </summary>
/// <remarks>
/// <para>What this makes unforgeable: the secret is on no disk, in no environment variable, in no command line and in no
/// global of the runner; standard input is gone before the program starts. Printing any marker text, exiting early (even
/// with code 0, through <c>sys.exit</c>, <c>os._exit</c> or a signal), writing status files or rebinding <c>os.write</c>
/// or <c>os._exit</c> does not produce a pass.</para>
/// <para>The limit that remains: the program runs in the runner's own interpreter, so code that inspects that interpreter —
/// the runner's stack frame through <c>sys._getframe</c> or a traceback, <c>gc</c> referents, or <c>/proc/self/mem</c> —
/// can find the secret and forge a pass. That forges only the verdict of its own case; what it can do to the host is still
/// bounded by the sandbox. Closing it would take running the tests outside the process that runs the completion, which the
/// HumanEval protocol (one program: prompt, completion, tests) does not allow.</para>
/// </remarks>
internal static class SandboxRunnerScript
{
    /// <summary>The file name the program is written to in the working folder.</summary>
    public const string ProgramFile = "program.py";

    /// <summary>The runner's source, with the limits of <paramref name="options"/> filled in.</summary>
    public static string Render(SandboxOptions options) => Template
        .Replace("@MEMORY@", Number(options.MemoryBytes))
        .Replace("@CPU@", Number(options.CpuSeconds))
        .Replace("@FSIZE@", Number(options.MaxFileBytes))
        .Replace("@NOFILE@", Number(options.MaxOpenFiles))
        .Replace("@NPROC@", Number(options.MaxProcesses))
        .Replace("@PROGRAM@", ProgramFile);

    /// <summary>What the runner reads on standard input: the secret's line, then the program.</summary>
    public static byte[] Input(string secret, string program) => Encoding.UTF8.GetBytes(secret + "\n" + program);

    /// <summary>The bytes that end standard output when, and only when, the program ran to its end.</summary>
    public static byte[] Marker(string secret) => Encoding.ASCII.GetBytes("\n" + secret + "\n");

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private const string Template = """
        import builtins, os, resource, sys, traceback

        def run():
            read, write, exit = os.read, os.write, os._exit
            limits = ((resource.RLIMIT_AS, @MEMORY@), (resource.RLIMIT_CPU, @CPU@), (resource.RLIMIT_FSIZE, @FSIZE@),
                      (resource.RLIMIT_NOFILE, @NOFILE@), (resource.RLIMIT_NPROC, @NPROC@), (resource.RLIMIT_CORE, 0))
            for kind, value in limits:
                resource.setrlimit(kind, (value, value))
            chunks = []
            while True:
                chunk = read(0, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
            secret, _, source = b"".join(chunks).partition(b"\n")
            del chunks
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.close(null)
            with open("@PROGRAM@", "wb") as program_file:
                program_file.write(source)
            marker = b"\n" + secret + b"\n"
            del secret
            try:
                code = compile(source, "@PROGRAM@", "exec")
                del source
                exec(code, {"__name__": "__main__", "__builtins__": builtins})
                sys.stdout.flush()
                sys.stderr.flush()
            except BaseException:
                try:
                    traceback.print_exc()
                    sys.stderr.flush()
                    sys.stdout.flush()
                finally:
                    exit(1)
            write(1, marker)
            exit(0)

        run()
        """;
}
