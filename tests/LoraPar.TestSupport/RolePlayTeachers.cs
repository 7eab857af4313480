using System.Text.RegularExpressions;

namespace LoraPar.TestSupport;

/// <summary>
/// OpenAI-compatible teachers on loopback (a real <see cref="FakeChatServer"/>) that answer the splitter's prompt by a fixed rule,
/// so the OpenAI teacher path, its retries and the vote cache run for real and every run labels the same way:
/// a teacher says "System 2" when the number of words of the user message plus the length of its model name is even, else
/// "System 1". Teachers whose names differ in length parity disagree on every question, so a vote is a real majority; a
/// change of prompt template that adds the same words to every message swaps D1 and D2 but leaves both non-empty. The first
/// attempt at a message whose word count is a multiple of <see cref="FailEvery"/> gets a 503, which the teacher retries.
/// </summary>
public static partial class RolePlayTeachers
{
    /// <summary>Messages whose word count is a multiple of this fail once with 503.</summary>
    public const int FailEvery = 5;

    [GeneratedRegex(@"\S+")]
    private static partial Regex Word();

    /// <summary>The words of <paramref name="text"/> (runs of non-space characters).</summary>
    public static int Words(string text) => Word().Count(text);

    /// <summary>The rule's answer of <paramref name="model"/> to a user message.</summary>
    public static string Answer(string model, string user) => (Words(user) + model.Length) % 2 == 0 ? "System 2" : "System 1";

    /// <summary>Starts the server; dispose it to stop.</summary>
    public static Task<FakeChatServer> StartAsync() => FakeChatServer.StartAsync((call, _) => Task.FromResult(
        call.Attempt == 1 && Words(call.User) % FailEvery == 0
            ? FakeChatServer.Error(503)
            : FakeChatServer.Completion(Answer(call.Model, call.User), call.Model)));
}
