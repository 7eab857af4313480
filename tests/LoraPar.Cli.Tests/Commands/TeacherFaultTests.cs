using System.Security.Cryptography;
using System.Text;
using LoraPar.TestSupport;
using Microsoft.AspNetCore.Http;

namespace LoraPar.Cli.Tests.Commands;

/// <summary>
/// <c>lorapar run</c> against a real loopback OpenAI-compatible server that injects faults (issue 16 item 5): every ask failing,
/// replies that never name a system, malformed JSON bodies, and 30% transient errors. Each case checks the exit code and the
/// one-line message, and that a rerun asks exactly what failed before and nothing that was answered.
/// </summary>
public sealed class TeacherFaultTests : CliTestFolder
{
    private const int Questions = 20; // synthetic_train_size = 10 questions per system

    private string Manifest(FakeChatServer server, string splitter = "") => Write("m.toml", $"""
        artifacts = "artifacts"
        progress = "none"
        [data]
        synthetic_train_size = 10
        synthetic_eval_size = 2
        [splitter]
        endpoint = "{server.BaseUrl}"
        api_key_env = ""
        teachers = ["alpha", "beta"]
        {splitter}
        [splitter.resilience]
        max_retries = 0
        base_delay_seconds = 0.001
        max_delay_seconds = 0.002
        max_consecutive_failures = 1000
        max_concurrency = 2

        """);

    private static (int Code, string Out, string Err) Labels(string manifest)
    {
        var data = Cli("run", "--stage", "data", manifest);
        Assert.True(data.Code == 0, data.Err);
        return Cli("run", "--stage", "labels", manifest);
    }

    /// <summary>Both teachers answer by one rule on the prompt's words, so they agree and the labels are a mix.</summary>
    private static Task<IResult> Honest(ChatCall c) => Task.FromResult(FakeChatServer.Completion(RolePlayTeachers.Answer("", c.User), c.Model));

    private bool LabelsCommitted()
    {
        var labels = Path.Combine(Dir, "artifacts", "labels");
        return Directory.Exists(labels) && Directory.GetFiles(labels, "stage.json", SearchOption.AllDirectories).Length > 0;
    }

    [Fact]
    public async Task Every_ask_failing_under_continue_exits_1_naming_how_many_questions_have_no_real_vote()
    {
        await using var server = await FakeChatServer.StartAsync((_, _) => Task.FromResult(FakeChatServer.Error(503)));
        var (code, _, stderr) = Labels(Manifest(server, "on_teacher_failure = \"continue\""));

        Assert.True(code == 1, stderr);
        Assert.Contains($"{Questions} of {Questions} questions have no real vote", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(LabelsCommitted());
    }

    [Fact]
    public async Task A_teacher_that_never_names_a_system_exits_1_naming_it_and_quoting_its_reply()
    {
        await using var server = await FakeChatServer.StartAsync((c, _) => c.Model == "beta"
            ? Task.FromResult(FakeChatServer.Completion("The answer is 42.", c.Model)) : Honest(c));
        var (code, _, stderr) = Labels(Manifest(server, "on_teacher_failure = \"continue\""));

        Assert.True(code == 1, stderr);
        Assert.Contains($"teacher \"beta\" named no system in {Questions} of {Questions} replies (100%", stderr);
        Assert.Contains("e.g. \"The answer is 42.\"", stderr);
    }

    [Fact]
    public async Task Malformed_json_bodies_stop_the_run_and_the_healed_rerun_asks_only_what_failed()
    {
        var healed = false;
        await using var server = await FakeChatServer.StartAsync((c, _) =>
            !healed && c.Model == "alpha" ? Task.FromResult(FakeChatServer.Malformed()) : Honest(c));
        var manifest = Manifest(server);

        var (code, _, stderr) = Labels(manifest);
        Assert.True(code == 1, stderr);
        Assert.Contains($"{Questions} asks got no answer naming a system (alpha: {Questions} failed)", stderr);
        Assert.Contains("run again to ask these again", stderr);
        Assert.False(LabelsCommitted());

        healed = true;
        var before = server.Calls.Count;
        var again = Cli("run", "--stage", "labels", manifest);
        Assert.True(again.Code == 0, again.Err);
        var asked = server.Calls.Skip(before).ToList();
        Assert.Equal(Questions, asked.Count);
        Assert.All(asked, c => Assert.Equal("alpha", c.Model));
    }

    [Fact]
    public async Task Thirty_percent_transient_faults_are_asked_again_run_by_run_exactly_and_answers_never()
    {
        // 30% of requests, chosen by a hash of (model, prompt, attempt), get a 503; no retries inside a run.
        await using var server = await FakeChatServer.StartAsync((c, _) => Fails(c) ? Task.FromResult(FakeChatServer.Error(503)) : Honest(c));
        var manifest = Manifest(server);
        var (code, _, stderr) = Labels(manifest);
        var runs = 1;
        var seen = 0;
        while (code != 0)
        {
            Assert.True(code == 1, stderr);
            Assert.Contains("the answers received are cached: run again to ask", stderr, StringComparison.OrdinalIgnoreCase);
            var failed = server.Calls.Skip(seen).Where(Fails).Select(c => (c.Model, c.User)).ToHashSet();
            Assert.NotEmpty(failed);
            seen = server.Calls.Count;
            (code, _, stderr) = Cli("run", "--stage", "labels", manifest);
            runs++;
            Assert.Equal(failed, server.Calls.Skip(seen).Select(c => (c.Model, c.User)).ToHashSet()); // exactly the failed ones
            Assert.Equal(failed.Count, server.Calls.Count - seen);
        }
        Assert.InRange(runs, 2, 3); // at most 1 + max_reasks (2) asks of any question
        var first = server.Calls.Take(2 * Questions).Count(Fails);
        Assert.InRange(first, 6, 18); // about 30% of 40
        Assert.All(server.Calls.GroupBy(c => (c.Model, c.User)), g => Assert.InRange(g.Count(c => !Fails(c)), 0, 1)); // answered: never again
        Assert.True(LabelsCommitted());
        var settled = server.Calls.Count;
        Assert.Equal(0, Cli("run", "--stage", "labels", manifest).Code);
        Assert.Equal(settled, server.Calls.Count);
    }

    private static bool Fails(ChatCall c) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"{c.Model}\u001f{c.User}\u001f{c.Attempt}"))[0] < 0.3 * 256;
}
