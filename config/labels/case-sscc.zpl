^XA
^PW812
^LL609
^FX Case (SSCC) label: GS1-128 in mode D with (00), and (02) (37) (10) (17) when the content is of one GTIN and lot.
^FO30,30^A0N,40,40^FDCASE {product}^FS
^FO30,80^A0N,30,30^FDSSCC {sscc}^FS
^FO30,120^A0N,30,30^FDCONTENT {gtin}   COUNT {units}^FS
^FO30,160^A0N,30,30^FDLOT {lot}   EXP {expiryDate}^FS
^FO30,210^BY2^BCN,160,N,N,N,D^FD{gs1Code128}^FS
^FO30,400^A0N,24,24^FD{gs1Text}^FS
^PQ1
^XZ
