"""Five PyTorch normalization layers, probed for what the overview table says about them."""

import torch
from torch import nn

N, C, H, W = 4, 6, 5, 5


def layers() -> dict[str, nn.Module]:
    return {  # every layer with its default arguments, for (N, C, H, W) images
        "BatchNorm2d": nn.BatchNorm2d(C),
        "LayerNorm": nn.LayerNorm([C, H, W]),
        "RMSNorm": nn.RMSNorm([C, H, W]),
        "GroupNorm": nn.GroupNorm(3, C),
        "InstanceNorm2d": nn.InstanceNorm2d(C),
    }


def probe(layer: nn.Module, images: torch.Tensor) -> dict[str, object]:
    # float32 results of the same kernel on different batches: equal up to rounding, hence atol=1e-5
    depends_on_batch = not torch.allclose(layer(images)[:1], layer(images[:1]), atol=1e-5)  # (1)!
    train_output = layer(images)
    layer.eval()
    train_differs = not torch.allclose(train_output, layer(images), atol=1e-5)  # (2)!
    running = any(name.startswith("running_") for name, _ in layer.named_buffers())
    return {"depends on batch": depends_on_batch, "train != eval": train_differs,
            "running stats": running, "eps": layer.eps}


def main():
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    images = (1.0 + 2.0 * torch.randn(N, C, H, W)).to(device)
    print(f"{'':15}{'depends on batch':>17}{'train != eval':>14}{'running stats':>14}{'eps':>7}")
    #>                 depends on batch train != eval running stats    eps
    for name, layer in layers().items():
        row = probe(layer.to(device), images)
        print(f"{name:15}" + "".join(f"{str(v):>{w}}" for v, w in zip(row.values(), (17, 14, 14, 7))))
        #> BatchNorm2d                 True          True          True  1e-05
        #> LayerNorm                  False         False         False  1e-05
        #> RMSNorm                    False         False         False   None
        #> GroupNorm                  False         False         False  1e-05
        #> InstanceNorm2d             False         False         False  1e-05


if __name__ == "__main__":
    main()
