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
            cache.Add(Key(1), CachedAsk.Of(new TeacherAnswer("System 1", Vote.System1), 1));
            cache.Add(Key(2), CachedAsk.Of(new TeacherAnswer("dunno", Vote.Abstain), 1));
        }

        using var reopened = VoteCache.Open(path);
        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.TryGet(Key(1), out var a1));
        Assert.Equal(CachedAsk.Of(new TeacherAnswer("System 1", Vote.System1), 1), a1);
        Assert.True(reopened.TryGet(Key(2), out var a2));
        Assert.Equal((Vote.Abstain, AnswerStatus.Unparseable), (a2.Vote, a2.Status));
        Assert.False(reopened.TryGet(Key(3), out _));
    }

    [Fact]
    public void A_re_asked_abstention_replaces_the_earlier_line_and_counts_the_asks()
    {
        using var dir = SplitterSetup.TempFolder();
        var path = dir.Combine("votes.jsonl");
        using (var cache = VoteCache.Open(path))
        {
            cache.Add(Key(1), new CachedAsk("", Vote.Abstain, AnswerStatus.Failed, 1, "HTTP 503"));
            cache.Add(Key(1), CachedAsk.Of(new TeacherAnswer("hmm", Vote.Abstain), 2));
        }
        using (var cache = VoteCache.Open(path))
        {
            Assert.True(cache.TryGet(Key(1), out var ask));
            Assert.Equal(new CachedAsk("hmm", Vote.Abstain, AnswerStatus.Unparseable, 2), ask);
            Assert.False(ask.IsFinal(maxReasks: 2)); // asked twice: one re-ask left
            Assert.True(ask.IsFinal(maxReasks: 1));
            cache.Add(Key(1), CachedAsk.Of(new TeacherAnswer("System 2", Vote.System2), 3));
        }
        using (var last = VoteCache.Open(path))
        {
            Assert.True(last.TryGet(Key(1), out var answered));
            Assert.True(answered.IsFinal(maxReasks: 100));
            Assert.Equal(1, last.Count);
        }
        Assert.Equal(3, File.ReadAllLines(path).Length);
        Assert.Contains("\"status\":\"failed\",\"asks\":1,\"error\":\"HTTP 503\"", File.ReadAllLines(path)[0]);
    }

    [Fact]
    public void Lines_written_before_statuses_read_as_answers_or_one_unparseable_ask()
    {
        using var dir = SplitterSetup.TempFolder();
        var path = dir.Combine("votes.jsonl");
        File.WriteAllText(path, "{\"teacher\":\"teacher-hash\",\"prompt\":\"prompt-1\",\"vote\":\"system2\",\"raw\":\"System 2\"}\n"
                                + "{\"teacher\":\"teacher-hash\",\"prompt\":\"prompt-2\",\"vote\":\"abstain\",\"raw\":\"?\"}\n");
        using var cache = VoteCache.Open(path);
        Assert.True(cache.TryGet(Key(1), out var answered));
        Assert.Equal(new CachedAsk("System 2", Vote.System2, AnswerStatus.Answered, 1), answered);
        Assert.True(cache.TryGet(Key(2), out var abstained));
        Assert.Equal(new CachedAsk("?", Vote.Abstain, AnswerStatus.Unparseable, 1), abstained);
    }

    [Fact]
    public void A_torn_last_line_is_cut_off_and_appending_goes_on_cleanly()
    {
        using var dir = SplitterSetup.TempFolder();
        var path = dir.Combine("votes.jsonl");
        using (var cache = VoteCache.Open(path)) cache.Add(Key(1), CachedAsk.Of(new TeacherAnswer("System 2", Vote.System2), 1));
        File.AppendAllText(path, "{\"teacher\":\"teacher-hash\",\"prompt\":\"prompt-2\",\"vo"); // killed mid-write

        using (var cache = VoteCache.Open(path))
        {
            Assert.Equal(1, cache.DroppedLines);
            Assert.Equal(1, cache.Count);
            cache.Add(Key(2), CachedAsk.Of(new TeacherAnswer("System 1", Vote.System1), 1));
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
        using (var cache = VoteCache.Open(path)) cache.Add(Key(1), CachedAsk.Of(new TeacherAnswer("System 2", Vote.System2), 1));
        File.AppendAllText(path, "garbage\n");
        using (var cache = VoteCache.Open(path)) cache.Add(Key(2), CachedAsk.Of(new TeacherAnswer("System 1", Vote.System1), 1));

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
        for (var i = 0; i < 50; i++) cache.Add(Key(i), CachedAsk.Of(new TeacherAnswer($"System {1 + i % 2} #{i}", i % 2 == 0 ? Vote.System1 : Vote.System2), 1));

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
