using System.Runtime.CompilerServices;

namespace LoraPar.Pipeline.Tests.Regression;

/// <summary>
/// Snapshooter finds a snapshot beside the test's source file, read from the compiler's file paths. If those paths were
/// mapped (CI's deterministic <c>/_/</c> paths), it would search the disk instead and could compare against a stale copy in
/// another checkout. This pins that test builds keep real source paths.
/// </summary>
public sealed class SnapshotLocationTests
{
    [Fact]
    public void Test_sources_keep_their_real_paths_so_snapshots_resolve_in_this_checkout()
    {
        var source = SourcePath();
        Assert.True(File.Exists(source), $"compiled source path '{source}' does not exist: test projects must not map paths");
        var snapshots = Path.Combine(Path.GetDirectoryName(source)!, "__snapshots__");
        Assert.NotEmpty(Directory.GetFiles(snapshots, "CiManifestTests.*.snap"));
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
