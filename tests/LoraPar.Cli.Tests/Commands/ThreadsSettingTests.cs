namespace LoraPar.Cli.Tests.Commands;

/// <summary>
/// A manifest's <c>threads</c> in a real <c>lorapar run</c> child: libtorch computes on that many threads, as the stage's
/// recorded kernels say, unless the user's <c>OMP_NUM_THREADS</c> names another count.
/// </summary>
public sealed class ThreadsSettingTests : CliTestFolder
{
    private const string Manifest = """
        name = "threads"
        artifacts = "artifacts"
        progress = "none"
        threads = 1
        [data]
        synthetic_train_size = 10
        synthetic_eval_size = 2
        """;

    [Fact]
    public async Task The_manifests_count_is_what_the_stage_computes_with()
    {
        var folder = Folder("manifest");
        var (code, _, err) = await LoraparChild.RunToEnd(folder, new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = null }, "run", "m.toml", "--stage", "data");
        Assert.True(code == 0, err);
        Assert.Contains("; 1 threads", StageRecord(folder));
        Assert.Contains("threads = 1: applied (OMP_NUM_THREADS=1)", RunLog(folder));
    }

    [Fact]
    public async Task The_users_omp_num_threads_wins()
    {
        var folder = Folder("user");
        var (code, _, err) = await LoraparChild.RunToEnd(folder, new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "3" }, "run", "m.toml", "--stage", "data");
        Assert.True(code == 0, err);
        Assert.Contains("; 3 threads", StageRecord(folder));
        Assert.Contains("threads = 1: overridden (OMP_NUM_THREADS=3)", RunLog(folder));
    }

    private string Folder(string name)
    {
        var folder = Path.Combine(Dir, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "m.toml"), Manifest);
        return folder;
    }

    private static string StageRecord(string folder) => File.ReadAllText(Path.Combine(
        Assert.Single(Directory.GetDirectories(Path.Combine(folder, "artifacts", "data")), d => !Path.GetFileName(d).StartsWith('.')), "stage.json"));

    private static string RunLog(string folder) =>
        string.Concat(Directory.GetFiles(Path.Combine(folder, "artifacts", "runs", "threads", "logs")).Select(File.ReadAllText));
}
