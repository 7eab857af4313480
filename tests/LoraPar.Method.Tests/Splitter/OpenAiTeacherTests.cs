using LoraPar.TestSupport;
using LoraPar.Method.Splitter;
using Microsoft.AspNetCore.Http;

namespace LoraPar.Method.Tests.Splitter;

public sealed class OpenAiTeacherTests
{
    private const string Secret = "sk-lorapar-test-0123456789abcdef";
    private readonly CapturingLoggerProvider _logs = new();

    private OpenAiTeacher Teacher(FakeChatServer server, TeacherResilience? resilience = null, double temperature = 0.25) =>
        new(SplitterSetup.OpenAi("alpha", server.BaseUrl, "alpha-7b", temperature), RolePlayPrompt.RolePlayDefault, "LLaMA-2-7B",
            Secret, resilience ?? SplitterSetup.FastResilience(), SplitterSetup.Environment(Secret, _logs.CreateFactory()));

    private static readonly SplitterItem Easy = new("q0", "What is the capital of France? [easy]");

    [Fact]
    public async Task Sends_model_messages_temperature_and_key_and_parses_the_answer()
    {
        await using var server = await FakeChatServer.StartAsync((c, _) => Task.FromResult(FakeChatServer.Completion("**System 1**", c.Model)));
        using var teacher = Teacher(server);

        var answer = await teacher.AskAsync(Easy, CancellationToken.None);

        Assert.Equal(new TeacherAnswer("**System 1**", Vote.System1), answer);
        var call = Assert.Single(server.Calls);
        Assert.Equal("alpha-7b", call.Model);
        Assert.Equal(0.25, call.Temperature!.Value, 6);
        Assert.Equal(8, call.MaxTokens);
        Assert.Equal($"Bearer {Secret}", call.Authorization);
        Assert.Null(call.System); // Figure 3 is one prompt: a single user message
        Assert.Equal(RolePlayPrompt.RolePlayDefault.Render("LLaMA-2-7B", Easy), call.User);
        Assert.StartsWith("Act as LLaMA-2-7B — concise", call.User);
        Assert.Contains("Question: What is the capital of France? [easy]\nAnswer: " + RolePlayPrompt.NoAnswer, call.User);
    }

    [Fact]
    public async Task Retries_500s_then_answers()
    {
        await using var server = await FakeChatServer.StartAsync((c, _) => Task.FromResult(
            c.Attempt <= 2 ? FakeChatServer.Error(500) : FakeChatServer.Completion("system-2", c.Model)));
        using var teacher = Teacher(server);

        var answer = await teacher.AskAsync(Easy, CancellationToken.None);

        Assert.Equal(Vote.System2, answer.Vote);
        Assert.Equal(3, server.Calls.Count);
    }

    [Fact]
    public async Task Honours_Retry_After_on_429()
    {
        var times = new List<DateTimeOffset>();
        await using var server = await FakeChatServer.StartAsync((c, _) =>
        {
            lock (times) times.Add(DateTimeOffset.UtcNow);
            return Task.FromResult(c.Attempt == 1 ? FakeChatServer.Error(429, ("Retry-After", "1")) : FakeChatServer.Completion("2", c.Model));
        });
        using var teacher = Teacher(server);

        var answer = await teacher.AskAsync(Easy, CancellationToken.None);

        Assert.Equal(Vote.System2, answer.Vote);
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"waited only {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_hang_past_the_timeout_is_cut_off_and_retried()
    {
        await using var server = await FakeChatServer.StartAsync(async (c, aborted) =>
        {
            if (c.Attempt == 1) await Task.Delay(TimeSpan.FromSeconds(20), aborted).ContinueWith(_ => { });
            return FakeChatServer.Completion("I think System 1.", c.Model);
        });
        using var teacher = Teacher(server, SplitterSetup.FastResilience(timeoutSeconds: 1));
        var started = DateTimeOffset.UtcNow;

        var answer = await teacher.AskAsync(Easy, CancellationToken.None);

        Assert.Equal(Vote.System1, answer.Vote);
        Assert.Equal(2, server.Calls.Count);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_malformed_body_is_retried()
    {
        await using var server = await FakeChatServer.StartAsync((c, _) => Task.FromResult(
            c.Attempt == 1 ? FakeChatServer.Malformed() : FakeChatServer.Completion("System 2", c.Model)));
        using var teacher = Teacher(server);

        Assert.Equal(Vote.System2, (await teacher.AskAsync(Easy, CancellationToken.None)).Vote);
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task Gives_up_after_the_retries_with_the_last_error()
    {
        await using var server = await FakeChatServer.StartAsync((_, _) => Task.FromResult(FakeChatServer.Error(503)));
        using var teacher = Teacher(server, SplitterSetup.FastResilience(retries: 2));

        var e = await Assert.ThrowsAnyAsync<Exception>(() => teacher.AskAsync(Easy, CancellationToken.None));

        Assert.Equal(3, server.Calls.Count);
        Assert.StartsWith("HTTP 503", TransientFaults.Describe(e));
    }

    [Fact]
    public async Task A_401_is_not_retried()
    {
        await using var server = await FakeChatServer.StartAsync((_, _) => Task.FromResult(FakeChatServer.Error(StatusCodes.Status401Unauthorized)));
        using var teacher = Teacher(server);

        var e = await Assert.ThrowsAnyAsync<Exception>(() => teacher.AskAsync(Easy, CancellationToken.None));

        Assert.Single(server.Calls);
        Assert.StartsWith("HTTP 401", TransientFaults.Describe(e));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unparseable_answer_is_an_abstention_with_its_raw_text()
    {
        await using var server = await FakeChatServer.StartAsync((c, _) => Task.FromResult(FakeChatServer.Completion("Hard to say.", c.Model)));
        using var teacher = Teacher(server);

        Assert.Equal(new TeacherAnswer("Hard to say.", Vote.Abstain), await teacher.AskAsync(Easy, CancellationToken.None));
    }

    [Fact]
    public void Identity_covers_url_model_temperature_and_template_but_not_the_key()
    {
        var url = new Uri("http://127.0.0.1:9/v1");
        string Identity(OpenAiTeacherConfig c, RolePlayPrompt p)
        {
            using var t = new OpenAiTeacher(c, p, "LLaMA-2-7B", Secret, SplitterSetup.FastResilience(), new TeacherEnvironment());
            return t.Identity;
        }
        var baseConfig = SplitterSetup.OpenAi("a", url, "m");
        var baseline = Identity(baseConfig, RolePlayPrompt.RolePlayDefault);

        Assert.DoesNotContain(Secret, baseline);
        Assert.Equal(baseline, Identity(baseConfig with { Name = "renamed", Weight = 2 }, RolePlayPrompt.RolePlayDefault));
        Assert.NotEqual(baseline, Identity(baseConfig with { Model = "m2" }, RolePlayPrompt.RolePlayDefault));
        Assert.NotEqual(baseline, Identity(baseConfig with { Temperature = 0.7 }, RolePlayPrompt.RolePlayDefault));
        Assert.NotEqual(baseline, Identity(baseConfig with { BaseUrl = new Uri("http://127.0.0.1:10/v1") }, RolePlayPrompt.RolePlayDefault));
        Assert.NotEqual(baseline, Identity(baseConfig, RolePlayPrompt.NoRolePlayDefault));
    }
}
