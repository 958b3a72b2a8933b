"""A small classifier with BatchNorm1d, trained for a few steps on synthetic data."""

import torch
from torch import nn


def make_model(in_features: int = 20, hidden: int = 64, classes: int = 3) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(in_features, hidden, bias=False),  # (1)!
        nn.BatchNorm1d(hidden),  # (2)!
        nn.ReLU(),
        nn.Linear(hidden, classes),  # (3)!
    )


def make_data(n: int = 512, in_features: int = 20, classes: int = 3, seed: int = 0):
    """Three Gaussian blobs: a learnable problem defined entirely in this script."""
    g = torch.Generator().manual_seed(seed)
    centers = 0.6 * torch.randn(classes, in_features, generator=g)
    labels = torch.randint(0, classes, (n,), generator=g)
    x = centers[labels] + torch.randn(n, in_features, generator=g)
    return x, labels


def train(model, x, labels, steps: int = 24, batch_size: int = 64, lr: float = 0.05, device="cpu"):
    model.to(device).train()  # training mode: BN uses batch statistics, updates running ones
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()  # applies log-softmax to the logits itself
    losses = []
    for step in range(steps):
        batch = torch.arange(step * batch_size, (step + 1) * batch_size) % len(x)
        loss = loss_fn(model(x[batch].to(device)), labels[batch].to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@torch.no_grad()
def accuracy(model, x, labels, device="cpu") -> float:
    model.eval()  # inference mode: BN uses its running statistics
    predictions = model(x.to(device)).argmax(dim=1).cpu()
    return (predictions == labels).float().mean().item()


def main():
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    x, labels = make_data()
    model = make_model()
    losses = train(model, x, labels, device=device)
    acc = accuracy(model, x, labels, device=device)
    print(f"loss {losses[0]:.3f} -> {losses[-1]:.3f}; accuracy {acc:.1%}")
    #> loss 1.090 -> 0.138; accuracy 95.5%
    return losses, acc


if __name__ == "__main__":
    main()
