namespace LoraPar.Cli.Tests;

/// <summary>A temporary folder for a CLI test (deleted afterwards) and a way to run <c>lorapar</c> in-process, capturing its output.</summary>
public abstract class CliTestFolder : IDisposable
{
    protected CliTestFolder() => Directory.CreateDirectory(Dir);

    /// <summary>The test's folder.</summary>
    protected string Dir { get; } = Path.Combine(Path.GetTempPath(), "lorapar-cli-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs the CLI with <paramref name="args"/>: exit code, stdout, stderr.</summary>
    protected static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in the folder; returns its path.</summary>
    protected string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
