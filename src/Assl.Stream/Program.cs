using Assl.Stream.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddAsslStreaming();

var app = builder.Build();
app.MapAsslEndpoints();
app.Run();

/// <summary>Entry point, public so integration tests can host it.</summary>
public partial class Program;
