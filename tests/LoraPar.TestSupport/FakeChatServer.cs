using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoraPar.TestSupport;

/// <summary>One chat-completions request as the server saw it; <see cref="Attempt"/> counts requests with the same model and user message.</summary>
public sealed record ChatCall(
    string Model, double? Temperature, int? MaxTokens, string? System, string User, string? Authorization, int Attempt, string Body);

/// <summary>
/// A real HTTP server on 127.0.0.1 (ephemeral port) speaking the OpenAI chat-completions protocol, whose replies a test scripts.
/// It records every request, so tests can check what was sent and count how often each question was asked.
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Model, string User), int> _attempts = new();
    private readonly ConcurrentQueue<ChatCall> _calls = new();

    private FakeChatServer(WebApplication app) => _app = app;

    /// <summary>The base URL to configure a teacher with (ends in /v1).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received so far.</summary>
    public IReadOnlyList<ChatCall> Calls => _calls.ToList();

    /// <summary>Starts a server whose reply to each request is <paramref name="reply"/>(call, request-aborted token).</summary>
    public static async Task<FakeChatServer> StartAsync(Func<ChatCall, CancellationToken, Task<IResult>> reply)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeChatServer(app);
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var call = await server.RecordAsync(http);
            return await reply(call, http.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    /// <summary>A well-formed chat completion whose message content is <paramref name="content"/>.</summary>
    public static IResult Completion(string content, string model) => Results.Json(new
    {
        id = "chatcmpl-test",
        @object = "chat.completion",
        created = 1_700_000_000,
        model,
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 10, completion_tokens = 3, total_tokens = 13 },
    });

    /// <summary>An error response in the OpenAI error shape, with optional headers.</summary>
    public static IResult Error(int status, params (string Name, string Value)[] headers) => new ErrorResult(status, headers);

    /// <summary>A 200 response whose body is not a chat completion.</summary>
    public static IResult Malformed() => Results.Text("{\"id\": \"chatcmpl-x\", \"choices\": [ {\"message\": ", "application/json");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<ChatCall> RecordAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        string? Message(string role) => root.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == role).Select(m => m.GetProperty("content").GetString()).FirstOrDefault();
        var model = root.GetProperty("model").GetString()!;
        var user = Message("user") ?? "";
        var attempt = _attempts.AddOrUpdate((model, user), 1, (_, n) => n + 1);
        double? temperature = root.TryGetProperty("temperature", out var t) ? t.GetDouble() : null;
        int? maxTokens = root.TryGetProperty("max_completion_tokens", out var m) ? m.GetInt32()
            : root.TryGetProperty("max_tokens", out var m2) ? m2.GetInt32() : null;
        var call = new ChatCall(model, temperature, maxTokens, Message("system"), user,
            http.Request.Headers.Authorization.ToString(), attempt, body);
        _calls.Enqueue(call);
        return call;
    }

    private sealed class ErrorResult(int status, (string Name, string Value)[] headers) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            foreach (var (name, value) in headers) httpContext.Response.Headers[name] = value;
            return httpContext.Response.WriteAsJsonAsync(new { error = new { message = $"injected {status}", type = "test", code = status } });
        }
    }
}
