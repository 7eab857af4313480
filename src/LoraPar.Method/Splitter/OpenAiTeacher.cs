using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;
using Polly;
using Polly.Retry;

namespace LoraPar.Method.Splitter;

/// <summary>
/// A teacher behind an OpenAI-compatible chat-completions endpoint, called through the OpenAI SDK's chat client as a
/// Microsoft.Extensions.AI <see cref="IChatClient"/>. Every attempt has a timeout; timeouts, 408/429/5xx, connection errors
/// and malformed bodies are retried with exponential backoff and jitter (a Retry-After header is honoured) by a Polly pipeline.
/// The API key lives only in the SDK's credential; it is never logged, hashed or written.
/// </summary>
public sealed class OpenAiTeacher : ITeacher
{
    private const string NoKey = "no-key";
    private readonly OpenAiTeacherConfig _config;
    private readonly RolePlayPrompt _prompt;
    private readonly string _targetModel;
    private readonly HttpClient _http;
    private readonly IChatClient _chat;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    /// <summary>Builds the teacher. <paramref name="apiKey"/> is the key's value (null: the server needs none).</summary>
    public OpenAiTeacher(
        OpenAiTeacherConfig config, RolePlayPrompt prompt, string targetModel, string? apiKey, TeacherResilience resilience,
        TeacherEnvironment environment)
    {
        _config = config;
        _prompt = prompt;
        _targetModel = targetModel;
        _logger = environment.LoggerFactory.CreateLogger<OpenAiTeacher>();
        _http = new HttpClient(environment.HttpHandlerFactory?.Invoke() ?? new SocketsHttpHandler(), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan, // the Polly pipeline times each attempt
        };
        var options = new OpenAIClientOptions
        {
            Endpoint = config.BaseUrl,
            Transport = new HttpClientPipelineTransport(_http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0), // retries are the pipeline's job
            NetworkTimeout = resilience.RequestTimeout + TimeSpan.FromSeconds(30),
            ClientLoggingOptions = new ClientLoggingOptions
            {
                LoggerFactory = environment.LoggerFactory,
                EnableLogging = environment.LogHttpTraffic,
                EnableMessageContentLogging = false,
            },
        };
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? NoKey : apiKey), options);
        _chat = client.GetChatClient(config.Model).AsIChatClient();
        _pipeline = BuildPipeline(resilience, environment.Time);
    }

    /// <inheritdoc />
    public TeacherConfig Config => _config;

    /// <inheritdoc />
    public string Identity => string.Create(CultureInfo.InvariantCulture,
        $"openai|{_config.BaseUrl.AbsoluteUri.TrimEnd('/')}|{_config.Model}|t={_config.Temperature:R}|max={_config.MaxTokens}|{_prompt.TemplateHash}");

    /// <inheritdoc />
    public bool IsCached => true;

    /// <inheritdoc />
    public string PromptText(SplitterItem item) => _prompt.Render(_targetModel, item);

    /// <inheritdoc />
    public async Task<TeacherAnswer> AskAsync(SplitterItem item, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages = [new(ChatRole.User, _prompt.Render(_targetModel, item))];
        var options = new ChatOptions { Temperature = (float)_config.Temperature, MaxOutputTokens = _config.MaxTokens };
        var text = await _pipeline.ExecuteAsync(
            async token => await CompleteAsync(messages, options, token).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return new TeacherAnswer(text, AnswerParser.Parse(text));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _chat.Dispose();
        _http.Dispose();
    }

    private async Task<string> CompleteAsync(List<ChatMessage> messages, ChatOptions options, CancellationToken token)
    {
        try
        {
            var response = await _chat.GetResponseAsync(messages, options, token).ConfigureAwait(false);
            return response.Text;
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException
                                    or ArgumentException && !token.IsCancellationRequested)
        {
            throw new MalformedResponseException($"the server's reply is not a chat completion ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private ResiliencePipeline BuildPipeline(TeacherResilience resilience, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (resilience.MaxRetries > 0) builder.AddRetry(RetryOptions(resilience, time));
        return builder.AddTimeout(resilience.RequestTimeout).Build();
    }

    private RetryStrategyOptions RetryOptions(TeacherResilience resilience, TimeProvider time) => new()
    {
        ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientFaults.IsTransient),
        MaxRetryAttempts = resilience.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = resilience.BaseDelay,
        MaxDelay = resilience.MaxDelay,
        DelayGenerator = args => ValueTask.FromResult(
            TransientFaults.RetryAfter(args.Outcome.Exception, time.GetUtcNow(), resilience.MaxRetryAfter)),
        OnRetry = args =>
        {
            _logger.LogWarning("teacher {Teacher} ({Url}): attempt {Attempt} failed ({Error}); retrying in {DelayMs:0} ms",
                _config.Name, _config.BaseUrl, args.AttemptNumber + 1,
                args.Outcome.Exception is { } e ? TransientFaults.Describe(e) : "no answer", args.RetryDelay.TotalMilliseconds);
            return ValueTask.CompletedTask;
        },
    };
}
