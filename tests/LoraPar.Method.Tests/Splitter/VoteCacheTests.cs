using LoraPar.Core;
using LoraPar.Method.Splitter;

namespace LoraPar.Method.Tests.Splitter;

public sealed class VoteCacheTests
{
    private static VoteCacheKey Key(int i) => new("teacher-hash", $"prompt-{i}");

    [Fact]
    public void Answers_survive_reopening()
    {
        using var dir = SplitterSetup.TempFolder();
        var path = dir.Combine("cache", "votes.jsonl");
        using (var cache = VoteCache.Open(path))
        {
            cache.Add(Key(1), new TeacherAnswer("System 1", Vote.System1));
            cache.Add(Key(2), new TeacherAnswer("dunno", Vote.Abstain));
        }

        using var reopened = VoteCache.Open(path);
        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.TryGet(Key(1), out var a1));
        Assert.Equal(new TeacherAnswer("System 1", Vote.System1), a1);
        Assert.True(reopened.TryGet(Key(2), out var a2));
        Assert.Equal(Vote.Abstain, a2.Vote);
        Assert.False(reopened.TryGet(Key(3), out _));
    }

    [Fact]
    public void A_torn_last_line_is_cut_off_and_appending_goes_on_cleanly()
    {
        using var dir = SplitterSetup.TempFolder();
        var path = dir.Combine("votes.jsonl");
        using (var cache = VoteCache.Open(path)) cache.Add(Key(1), new TeacherAnswer("System 2", Vote.System2));
        File.AppendAllText(path, "{\"teacher\":\"teacher-hash\",\"prompt\":\"prompt-2\",\"vo"); // killed mid-write

        using (var cache = VoteCache.Open(path))
        {
            Assert.Equal(1, cache.DroppedLines);
            Assert.Equal(1, cache.Count);
            cache.Add(Key(2), new TeacherAnswer("System 1", Vote.System1));
        }

        using (var again = VoteCache.Open(path))
        {
            Assert.Equal(0, again.DroppedLines);
            Assert.Equal(2, again.Count);
        }
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_corrupt_line_in_the_middle_is_skipped()
    {
        using var dir = SplitterSetup.TempFolder();
        var path = dir.Combine("votes.jsonl");
        using (var cache = VoteCache.Open(path)) cache.Add(Key(1), new TeacherAnswer("System 2", Vote.System2));
        File.AppendAllText(path, "garbage\n");
        using (var cache = VoteCache.Open(path)) cache.Add(Key(2), new TeacherAnswer("System 1", Vote.System1));

        using var again = VoteCache.Open(path);
        Assert.Equal(1, again.DroppedLines);
        Assert.True(again.TryGet(Key(1), out _));
        Assert.True(again.TryGet(Key(2), out _));
    }

    [Fact]
    public void Reads_from_disk_what_the_memory_cache_evicted()
    {
        using var dir = SplitterSetup.TempFolder();
        using var cache = VoteCache.Open(dir.Combine("votes.jsonl"), memoryEntries: 2);
        for (var i = 0; i < 50; i++) cache.Add(Key(i), new TeacherAnswer($"System {1 + i % 2} #{i}", i % 2 == 0 ? Vote.System1 : Vote.System2));

        for (var i = 0; i < 50; i++)
        {
            Assert.True(cache.TryGet(Key(i), out var a));
            Assert.Equal($"System {1 + i % 2} #{i}", a.Raw);
        }
    }

    [Fact]
    public void A_second_run_cannot_open_a_cache_in_use()
    {
        using var dir = SplitterSetup.TempFolder();
        var path = dir.Combine("votes.jsonl");
        using var first = VoteCache.Open(path);

        var e = Assert.Throws<JobFailedException>(() => VoteCache.Open(path));
        Assert.Contains("in use by another lorapar run", e.Message);
    }

    [Fact]
    public void Keys_hash_the_teacher_identity_and_the_prompt()
    {
        using var h = new HeuristicTeacher(new HeuristicTeacherConfig("h"));
        var item = new SplitterItem("q", "Q", "R");
        var key = VoteCacheKey.For(h, item);
        Assert.Equal(StableHash.Sha256Hex(h.Identity), key.Teacher);
        Assert.Equal(64, key.Prompt.Length);
        Assert.NotEqual(key, VoteCacheKey.For(h, item with { Question = "Q2" }));
    }
}
