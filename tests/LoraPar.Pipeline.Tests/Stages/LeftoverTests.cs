using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages;

/// <summary>
/// What killed attempts leave beside a key's artifact — staging (<c>.tmp-</c>), set-aside (<c>.old-</c>) and partial-results
/// folders — goes with the next run of that key, but never while another process holds the key, and never another key's.
/// </summary>
public sealed class LeftoverTests
{
    [Fact]
    public void The_next_run_of_a_complete_key_removes_its_leftovers_and_keeps_other_keys()
    {
        using var p = new ProbePipeline();
        p.Run();
        var sft = p.Plan().Find("default", "sft")!;
        var other = new string('d', StageKey.Length);
        var mine = Leftovers(p.Store, sft.Key);
        var theirs = Leftovers(p.Store, other);

        p.Run();

        Assert.All(mine, d => Assert.False(Directory.Exists(d), d));
        Assert.All(theirs, d => Assert.True(Directory.Exists(d), d));
        Assert.True(p.Store.Check("sft", sft.Key).IsComplete);
    }

    [Fact]
    public void Leftovers_of_a_key_another_process_holds_stay()
    {
        using var p = new ProbePipeline();
        p.Run();
        var sft = p.Plan().Find("default", "sft")!;
        var mine = Leftovers(p.Store, sft.Key);
        using (KeyLock.TryAcquire(p.Store.LockPathOf("sft", sft.Key))) p.Run();
        Assert.All(mine, d => Assert.True(Directory.Exists(d), d));
    }

    [Fact]
    public void A_key_killed_between_the_commit_renames_is_computed_again_and_its_set_aside_folder_goes()
    {
        using var p = new ProbePipeline();
        p.Run();
        var sft = p.Plan().Find("default", "sft")!;
        var target = p.Store.DirectoryOf("sft", sft.Key);
        var aside = Path.Combine(p.Store.Root, "sft", $".old-{sft.Key}-0123");
        Directory.Move(target, aside);                                   // the first rename of a replacing commit, then the kill
        var staged = Path.Combine(p.Store.Root, "sft", $".tmp-{sft.Key}-1-abc");
        Directory.CreateDirectory(staged);

        var summary = p.Run();

        Assert.Contains(summary.Executed, n => n.Kind == "sft");
        Assert.True(p.Store.Check("sft", sft.Key).IsComplete);
        Assert.False(Directory.Exists(aside));
        Assert.False(Directory.Exists(staged));
    }

    private static List<string> Leftovers(ArtifactStore store, string key)
    {
        var kind = Path.Combine(store.Root, "sft");
        var folders = new List<string>
        {
            store.OpenPartial("sft", key),
            Path.Combine(kind, $".tmp-{key}-4242-0f0f"),
            Path.Combine(kind, $".old-{key}-0f0f"),
            Path.Combine(kind, $"..tmp-{key}-4242-0f0f.77.abcd.tmp"),                   // an atomic write's temporary beside the staging folder
        };
        foreach (var folder in folders) Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folders[1], "model.safetensors"), "half written");
        return folders;
    }
}
